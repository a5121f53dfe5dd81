//! The one place that speaks to the allocator (mimalloc, the binary's
//! global allocator) directly.

/// Returns memory that is free but still held to the operating system.
///
/// mimalloc purges freed memory lazily, on later allocations: after a
/// burst that freed a large block (a password hash's 19 MiB working
/// memory) followed by quiet, the block stayed resident. Measured on the
/// release server after sign-ups, idle: 25 MB of anonymous memory, 5.6 MB
/// with the purge (docs/PERFORMANCE.md, issue 18). Costs a few system
/// calls, so it belongs after rare, large work, not on every request.
/// Harmless when mimalloc is not the global allocator (the library's
/// tests): its heaps are then empty.
pub fn return_free_memory() {
    // SAFETY: `mi_collect` takes no pointers and may be called from any
    // thread at any time; `force` also collects the arenas' delayed purges.
    unsafe { libmimalloc_sys::mi_collect(true) }
}
