//! The allocator of the `skillbridge` binary: the system allocator, except while `skillbridge
//! match` runs, when new blocks come from one bump arena in transparent huge pages.
//!
//! Why: at 10,000 students the command touches about 9 MB of fresh memory (the file, the ids, the
//! solver's arrays), and on this kind of machine (a VM) each 4 KB page costs its first touch a
//! fault of about 2 µs: 2,000 faults, 4 ms, a third of the whole command. glibc serves those
//! blocks from small pages; the arena is one mapping aligned to 2 MB and advised
//! `MADV_HUGEPAGE`, so the same memory is about 5 faults. Where the kernel gives no huge pages
//! (`transparent_hugepage` set to `never`), it is simply small pages again: slower, not wrong.
//!
//! What it protects: soundness for every other command, which never starts the arena and so pays
//! one relaxed load per allocation and a range check per free. The arena never frees (a
//! one-shot command that exits next), never hands out the same byte twice, and once started its
//! range stays valid for the life of the process, so that a block allocated from it is
//! recognised (and not given to `free`) however late it is dropped. A block that does not fit
//! goes to the system allocator, as does everything after [`stop`].

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::AtomicBool;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};

/// The binary's global allocator.
pub struct Allocator;

#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// The arena's range `[START, END)`, set once by [`start`] before `ACTIVE` is (Release; read
/// with Acquire, so that whoever got a block from the arena sees the range); `NEXT` is its first
/// free byte.
static START: AtomicUsize = AtomicUsize::new(0);
static END: AtomicUsize = AtomicUsize::new(0);
static NEXT: AtomicUsize = AtomicUsize::new(0);
static ACTIVE: AtomicBool = AtomicBool::new(false);
static STARTED: AtomicBool = AtomicBool::new(false);

const HUGE: usize = 2 << 20;

/// Maps an arena of `size` bytes (rounded up to 2 MB; address space only until touched) and
/// serves new blocks from it. Does nothing when one was started already or the mapping fails.
pub fn start(size: usize) {
    if STARTED.swap(true, Relaxed) {
        return;
    }
    let size = size.div_ceil(HUGE) * HUGE;
    // SAFETY: an anonymous private mapping at an address of the kernel's choice touches no
    // existing memory; the result is checked before use.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size + HUGE,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return;
    }
    let base = (p as usize).next_multiple_of(HUGE);
    // SAFETY: advice on a range inside the mapping just made; a failure (no THP) is harmless.
    unsafe {
        libc::madvise(base as *mut libc::c_void, size, libc::MADV_HUGEPAGE);
    }
    START.store(base, Relaxed);
    NEXT.store(base, Relaxed);
    END.store(base + size, Relaxed);
    ACTIVE.store(true, Release);
}

/// New blocks go to the system allocator again; blocks from the arena stay valid.
#[cfg(test)]
pub fn stop() {
    ACTIVE.store(false, Relaxed);
}

fn in_arena(p: *mut u8) -> bool {
    let p = p as usize;
    p >= START.load(Relaxed) && p < END.load(Relaxed)
}

/// A block from the arena, or `None` when it is not active or the block does not fit. The
/// memory is zero: the arena hands out only bytes never handed out before.
fn bump(layout: Layout) -> Option<*mut u8> {
    if !ACTIVE.load(Acquire) {
        return None;
    }
    let end = END.load(Relaxed);
    let mut next = NEXT.load(Relaxed);
    loop {
        let at = next.checked_next_multiple_of(layout.align())?;
        let new = at.checked_add(layout.size().max(1))?;
        if new > end {
            return None;
        }
        match NEXT.compare_exchange_weak(next, new, Relaxed, Relaxed) {
            Ok(_) => return Some(at as *mut u8),
            Err(n) => next = n,
        }
    }
}

// SAFETY: blocks from the arena are disjoint (each is handed out once, by a compare-exchange on
// `NEXT`), aligned as asked, inside a mapping that is never unmapped, and never given to the
// system allocator; every other block is the system allocator's, with its own contract.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match bump(layout) {
            Some(p) => p,
            // SAFETY: the caller's contract (non-zero size) is the system allocator's.
            None => unsafe { System.alloc(layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        match bump(layout) {
            Some(p) => p, // fresh from the mapping: zero already
            // SAFETY: as in `alloc`.
            None => unsafe { System.alloc_zeroed(layout) },
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !in_arena(ptr) {
            // SAFETY: not from the arena, so from the system allocator with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !in_arena(ptr) {
            // SAFETY: a system block; the caller's contract is the system allocator's.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        if new_size <= layout.size() {
            return ptr;
        }
        // The last block handed out grows in place (a `Vec` pushed to while nothing else is
        // allocated, the common case), if the arena is active and has room.
        let old_end = ptr as usize + layout.size().max(1);
        let new_end = ptr as usize + new_size;
        if ACTIVE.load(Acquire)
            && new_end <= END.load(Relaxed)
            && NEXT
                .compare_exchange(old_end, new_end, Relaxed, Relaxed)
                .is_ok()
        {
            return ptr;
        }
        // SAFETY: `new_size` is non-zero and, rounded to the alignment, fits `isize` (the
        // caller's contract), so the layout is valid.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: as in `alloc`.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live, distinct, and at least `layout.size()` long.
            unsafe { std::ptr::copy_nonoverlapping(ptr, new, layout.size()) };
        }
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, as the arena is the process's: blocks from it are aligned, disjoint, zeroed
    /// when asked, grow in place when last and by copy otherwise, and stay valid after `stop`.
    #[test]
    fn the_arena_hands_out_disjoint_aligned_blocks_that_outlive_it() {
        start(4 << 20);
        let a: Vec<u64> = (0..1000).collect();
        let zeros = vec![0u32; 5000];
        let mut b: Vec<u8> = Vec::with_capacity(3);
        let b_at = b.as_ptr();
        b.extend(0..=255u8);
        b.extend(0..=255u8);
        // Tests run in parallel: another thread's block may sit after `b`, so in place or not.
        assert!(in_arena(b_at.cast_mut()) && in_arena(b.as_ptr().cast_mut()));
        let mut grown = a.clone();
        grown.extend(1000..100_000);
        for p in [a.as_ptr().cast::<u8>(), zeros.as_ptr().cast(), b.as_ptr()] {
            assert!(in_arena(p.cast_mut()));
        }
        assert_eq!(a.as_ptr() as usize % std::mem::align_of::<u64>(), 0);
        assert!(zeros.iter().all(|&z| z == 0));
        assert!(grown.iter().copied().eq(0..100_000));
        assert_eq!(b.len(), 512);
        assert!(b[..256].iter().copied().eq(0..=255u8));
        // Past the arena's end: the system allocator.
        let big = vec![7u8; 8 << 20];
        assert!(!in_arena(big.as_ptr().cast_mut()));
        stop();
        let after: Vec<u8> = vec![1; 10];
        assert!(!in_arena(after.as_ptr().cast_mut()));
        // Arena blocks dropped after stop are not given to the system allocator.
        drop((a, zeros, b, grown, big, after));
    }
}
