//! Keeps the resident set small and flat on glibc.
//!
//! Password hashing (Argon2) allocates 19 MiB per hash. glibc's default raises its mmap
//! threshold after such a block is freed, so every later hash is carved from the heap and its
//! pages stay resident for good; and each thread that allocates may get an arena of its own.
//! A fixed threshold sends large blocks to `mmap` (returned on free), and two arenas per core
//! bound the rest.

/// Applies the allocator settings; call once, first thing in `main`.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets allocator parameters; it is called before any other thread
    // exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1024 * 1024);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        libc::mallopt(libc::M_ARENA_MAX, (2 * cores) as libc::c_int);
    }
}

/// Hands memory that was freed back to the system: after start-up (migrations, the first
/// password hash, building the OpenAPI document) and after each housekeeping round.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `malloc_trim` only returns free pages to the kernel; it is thread-safe.
    unsafe {
        libc::malloc_trim(0);
    }
}
