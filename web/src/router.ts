import { createRouter, createWebHashHistory } from 'vue-router'
import { onUnauthenticated } from './api'
import { clearRefs } from './refs'
import { forget, hasSessionHint, loadMeta, session } from './session'
import AppLayout from './components/AppLayout.vue'
import LoginView from './views/LoginView.vue'
import HomeView from './views/HomeView.vue'
import ListView from './views/ListView.vue'
import DetailView from './views/DetailView.vue'
import FormView from './views/FormView.vue'
import NotFoundView from './views/NotFoundView.vue'
import PrintListView from './views/PrintListView.vue'
import { MODULES } from './modules'

// Hash history (`#/students/12`): the server serves index.html at / only. Record lists, details
// and forms are generic (`:resource`); every other page comes from a module (modules/index.ts).
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    {
      path: '/',
      component: AppLayout,
      children: [
        { path: '', name: 'home', component: HomeView },
        // The modules' own pages, before the generic record routes that would take their paths.
        ...MODULES.flatMap((m) => m.routes),
        // Any list's selection printed as a table (a module may print its own records otherwise).
        { path: 'print/list/:resource', name: 'print-list', component: PrintListView },
        { path: ':resource', name: 'list', component: ListView },
        { path: ':resource/new', name: 'create', component: FormView },
        { path: ':resource/:id(\\d+)', name: 'detail', component: DetailView },
        { path: ':resource/:id(\\d+)/edit', name: 'edit', component: FormView },
        { path: ':pathMatch(.*)*', name: 'notfound', component: NotFoundView },
      ],
    },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (session.user) return true
  const toLogin = { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (!hasSessionHint()) return toLogin
  try {
    await loadMeta()
    return true
  } catch {
    forget()
    return toLogin
  }
})

// A 401 from any call: the session has ended (idle, lifetime, sign-out elsewhere).
onUnauthenticated(() => {
  const was = !!session.user
  forget()
  clearRefs()
  const cur = router.currentRoute.value
  if (cur.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: cur.fullPath, ...(was ? { expired: '1' } : {}) } })
  }
})
