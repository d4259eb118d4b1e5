internal import CFFmpeg

/// How the C allocator gives memory back, set once at a process's start.
///
/// glibc raises its mmap threshold to the size of the largest block freed so far (up to
/// 32 MB): after the first still (a 6 MB picture) every packet and picture buffer comes from
/// the heap arenas, whose freed pages stay resident. A fixed threshold keeps blocks of 64 KiB
/// and more in mappings of their own, returned to the system when freed, and a low trim
/// threshold returns the top of the heap: about 7 MB less resident while recording 1080p60.
public enum MemoryPolicy {
    public static func apply() {
        nl_limit_heap_retention(64 * 1024, 128 * 1024)
    }
}
