//! A bump allocator for plugins: every call runs in a fresh instance, so memory
//! is never reused and freeing is (almost) pointless.
//!
//! Allocation starts at `__heap_base` and uses the module's initial memory
//! before growing it; build plugins with an initial memory that covers a
//! typical call (`-C link-arg=--initial-memory=262144` in
//! `examples/.cargo/config.toml`), so most calls never execute `memory.grow`,
//! which costs the host a system call on the way up and another on reset.
//! The last allocation can be freed or resized in place, which keeps growing
//! `Vec`s and `String`s (JSON output) compact.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

const PAGE: usize = 65_536;

/// The bump allocator installed as `#[global_allocator]` by the `bump-allocator` feature.
pub struct BumpAllocator;

// Single-threaded guests: atomics compile to plain loads and stores.
static NEXT: AtomicUsize = AtomicUsize::new(0);
static LAST: AtomicUsize = AtomicUsize::new(0);

extern "C" {
    static __heap_base: u8;
}

fn next() -> usize {
    match NEXT.load(Relaxed) {
        // Taking the address of the linker-provided symbol reads nothing.
        0 => &raw const __heap_base as usize,
        next => next,
    }
}

/// Makes sure memory reaches `end`, growing it if needed.
fn reserve(end: usize) -> bool {
    let limit = core::arch::wasm32::memory_size(0) * PAGE;
    if end <= limit {
        return true;
    }
    let pages = (end - limit).div_ceil(PAGE);
    core::arch::wasm32::memory_grow(0, pages) != usize::MAX
}

unsafe impl GlobalAlloc for BumpAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let start = next().next_multiple_of(layout.align());
        let Some(end) = start.checked_add(layout.size()) else {
            return std::ptr::null_mut();
        };
        if !reserve(end) {
            return std::ptr::null_mut();
        }
        NEXT.store(end, Relaxed);
        LAST.store(start, Relaxed);
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let start = ptr as usize;
        if start == LAST.load(Relaxed) && start + layout.size() == NEXT.load(Relaxed) {
            NEXT.store(start, Relaxed);
            LAST.store(0, Relaxed);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let start = ptr as usize;
        if start == LAST.load(Relaxed) && start + layout.size() == NEXT.load(Relaxed) {
            let Some(end) = start.checked_add(new_size) else {
                return std::ptr::null_mut();
            };
            if !reserve(end) {
                return std::ptr::null_mut();
            }
            NEXT.store(end, Relaxed);
            return ptr;
        }
        // SAFETY: same contract as GlobalAlloc::realloc's default implementation.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[global_allocator]
static ALLOCATOR: BumpAllocator = BumpAllocator;
