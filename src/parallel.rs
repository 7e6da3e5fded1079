//! Work spread over every core, results kept in input order: the one
//! worker pool behind batch stamping, audits and multi-file verification.

use std::sync::atomic::{AtomicUsize, Ordering};

/// One worker per core: for work that computes (verifying, auditing).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Two workers per core: for work that also waits on the disk (signing
/// syncs every output before renaming it), so one worker hashes while
/// another waits. 100 frames of 3 MB on 2 cores: 0.40 s -> 0.34 s.
pub fn io_workers() -> usize {
    2 * cores()
}

/// Apply `f` to every item on up to `workers` threads; `progress(done,
/// total)` is called after each item. A worker that panics loses only the
/// items it had not finished: those come back from `lost`.
pub fn map_in_order<T, R, F, L>(
    items: &[T],
    workers: usize,
    f: F,
    lost: L,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    L: Fn(&T) -> R,
{
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let workers = workers.clamp(1, items.len().max(1));
    let finished: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1, items.len());
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (i, r) in finished.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .zip(items)
        .map(|(slot, item)| slot.unwrap_or_else(|| lost(item)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_counts_progress() {
        let items: Vec<u32> = (0..100).collect();
        let seen = AtomicUsize::new(0);
        let out = map_in_order(&items, 3, |x| x * 2, |_| 0, &|_, _| {
            seen.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(seen.load(Ordering::Relaxed), 100);
    }
}
