//! The allocator's memory, as a one-shot command asks the system for it.

/// Asks Linux to back the mapping that holds the heap (mimalloc's first arena: the 1 GiB it
/// reserves at start, where a build of 10,000 pages lives) with transparent huge pages, which
/// most systems give only to programs that ask (`madvise` mode). A build touches some 300 MB
/// once: in 4 KiB pages that is 75,000 page faults, a twentieth of its time; in 2 MiB pages, a
/// few thousand. mimalloc is built not to ask by itself (`no_thp`, see Cargo.toml).
/// Memory past the first arena (a handbook of some 50,000 pages and more, where memory and not
/// time is the limit) keeps small pages. Best effort: where the process's map cannot be read
/// (`/proc/self/maps`, the process's own), nothing changes.
pub fn advise_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Some((start, end)) = mapping_of_heap() {
        // SAFETY: advice on a mapping of this process, which MADV_HUGEPAGE never unmaps or
        // changes the contents of; only how its pages are backed.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

/// The start and end of the mapping that holds a fresh allocation.
#[cfg(target_os = "linux")]
fn mapping_of_heap() -> Option<(usize, usize)> {
    let probe = Box::new(0u64);
    let addr = &*probe as *const u64 as usize;
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let (start, end) = line.split_once(' ')?.0.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        (start <= addr && addr < end).then_some((start, end))
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The mapping's flags in `/proc/self/smaps` (`hg`: advised for huge pages).
    fn flags_of(start: usize) -> String {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let head = format!("{start:x}-");
        let at = smaps
            .lines()
            .position(|l| l.starts_with(&head))
            .expect("the mapping is listed");
        (smaps.lines().skip(at))
            .find_map(|l| l.strip_prefix("VmFlags:"))
            .expect("smaps lists each mapping's flags")
            .to_string()
    }

    /// Under the test harness the heap is the system allocator's (mimalloc is the binary's
    /// allocator only): the mapping is found and advised all the same. That the binary's build
    /// then faults in huge pages, the benchmarks show (`/usr/bin/time`'s minor faults).
    #[test]
    fn the_heaps_mapping_is_advised_for_huge_pages() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            eprintln!("skipped: this kernel has no transparent huge pages");
            return;
        }
        let (start, end) = mapping_of_heap().expect("the heap is in a listed mapping");
        assert!(start < end);
        advise_huge_pages();
        assert!(
            flags_of(start).split_whitespace().any(|f| f == "hg"),
            "{}",
            flags_of(start)
        );
    }
}
