//! The global allocator: the system one, except that large over-aligned
//! zeroed blocks come straight from `mmap`.
//!
//! Why: polars keeps one 8 MiB block of zeros (`polars_buffer`'s
//! `GLOBAL_ZEROES`, 64-byte aligned) that the first CSV or Parquet write
//! allocates. For alignments above 16 bytes `std`'s system allocator cannot
//! use `calloc`, so it zeroes the block by hand: 2,048 page faults, 1-4 ms of
//! a 20 ms `participa solve` (measured with `perf record`). Fresh anonymous
//! pages are zero already, and are only faulted in where they are touched.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks at least this large with alignment above 16 go to `mmap`.
const MMAP_AT: usize = 1 << 20;
const PAGE: usize = 4096;

pub struct ZeroingAlloc;

fn mapped(layout: Layout) -> bool {
    layout.size() >= MMAP_AT && layout.align() > 16 && layout.align() <= PAGE
}

unsafe fn map(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping has no preconditions.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        std::ptr::null_mut()
    } else {
        p.cast()
    }
}

// SAFETY: every block is either the system allocator's (and returned to it)
// or a page-aligned anonymous mapping of exactly `layout.size()` bytes (and
// unmapped); `mapped` decides which from the layout alone, so a block always
// goes back the way it came.
unsafe impl GlobalAlloc for ZeroingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if mapped(layout) {
            unsafe { map(layout.size()) }
        } else {
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if mapped(layout) {
            unsafe { map(layout.size()) }
        } else {
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mapped(layout) {
            unsafe { libc::munmap(ptr.cast(), layout.size()) };
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with `layout.align()` is a valid layout.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        if !mapped(layout) && !mapped(new) {
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let to = unsafe { self.alloc(new) };
        if !to.is_null() {
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, to, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        to
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// polars' 8 MiB, 64-byte aligned block of zeros: mapped, zero, writable,
    /// and its contents survive growing and shrinking across the mmap threshold.
    #[test]
    fn large_aligned_blocks_are_zeroed_and_move_intact() {
        let a = ZeroingAlloc;
        let layout = Layout::from_size_align(8 << 20, 64).unwrap();
        assert!(mapped(layout));
        unsafe {
            let p = a.alloc_zeroed(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % 64, 0);
            let s = std::slice::from_raw_parts_mut(p, layout.size());
            assert!(s.iter().all(|&b| b == 0));
            s[0] = 7;
            s[layout.size() - 1] = 9;
            let q = a.realloc(p, layout, 16 << 20);
            let grown = Layout::from_size_align(16 << 20, 64).unwrap();
            assert_eq!(*q, 7);
            assert_eq!(*q.add((8 << 20) - 1), 9);
            let r = a.realloc(q, grown, 4096);
            assert!(!mapped(Layout::from_size_align(4096, 64).unwrap()));
            assert_eq!(*r, 7);
            a.dealloc(r, Layout::from_size_align(4096, 64).unwrap());
        }
    }
}
