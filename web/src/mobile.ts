import { onBeforeUnmount, ref } from 'vue'

/** Whether the screen is phone-sized (under 768 px), kept up to date. */
export function useMobile() {
  const mq = window.matchMedia('(max-width: 767px)')
  const mobile = ref(mq.matches)
  const on = (e: MediaQueryListEvent) => (mobile.value = e.matches)
  mq.addEventListener('change', on)
  onBeforeUnmount(() => mq.removeEventListener('change', on))
  return mobile
}
