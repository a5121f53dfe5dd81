//! Runs a connection's future so that a wake it gives itself while being
//! polled is answered by polling it again at once, not by Tokio.
//!
//! hyper's HTTP/1 connection wakes its own task once per request with a
//! body: the handler takes the body's bytes from the channel the
//! connection's dispatcher filled, and the channel wakes the dispatcher
//! (`hyper::body::chan::Receiver::poll_next`) — the same task, in the
//! middle of its poll. Tokio answers a task woken during its own poll as a
//! yield: it queues the task again and wakes a parked worker thread to
//! share the work. Under load that was one futex wake, one more task
//! switch of the other worker and one needless poll of the whole handler
//! per GraphQL request (issue 18, `docs/PERFORMANCE.md`, thirteenth pass).
//!
//! [`InlineWakes`] hands the inner future a waker of its own. A wake that
//! arrives while the inner future is being polled (from this thread or
//! another) only marks it; when the poll returns `Pending` so marked, it is
//! polled again right away, up to [`INLINE_POLLS`] times in a row, after
//! which the task yields to Tokio as before. A wake between polls wakes the
//! task's own waker. A future that wakes itself to yield on purpose (hyper
//! after many writes in a row, a Tokio resource whose cooperative budget
//! ran out) is thus polled up to that many times more before it yields:
//! bounded, and rare next to the wake above. No crate offers this; it is a
//! few atomics.

use futures_util::task::AtomicWaker;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll, Wake, Waker};

/// Polls in a row at most before the task yields to Tokio (so a future
/// that keeps waking itself still lets the worker run other tasks).
pub const INLINE_POLLS: usize = 4;

const IDLE: u8 = 0;
const POLLING: u8 = 1;
const WOKEN_WHILE_POLLING: u8 = 2;

/// `future`, whose wakes during its own poll are answered inline.
pub fn inline_wakes<F: Future>(future: F) -> InlineWakes<F> {
    let shared = Arc::new(Shared {
        state: AtomicU8::new(IDLE),
        task: AtomicWaker::new(),
    });
    InlineWakes {
        future: Box::pin(future),
        waker: Waker::from(shared.clone()),
        shared,
    }
}

pub struct InlineWakes<F> {
    future: Pin<Box<F>>,
    shared: Arc<Shared>,
    /// The waker handed to `future` (one per connection, not per poll).
    waker: Waker,
}

struct Shared {
    state: AtomicU8,
    /// The task's own waker, for wakes between polls.
    task: AtomicWaker,
}

impl Wake for Shared {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let marked = self.state.compare_exchange(
            POLLING,
            WOKEN_WHILE_POLLING,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        match marked {
            // Being polled: the poll loop polls again.
            Ok(_) | Err(WOKEN_WHILE_POLLING) => {}
            Err(_) => self.task.wake(),
        }
    }
}

impl<F: Future> Future for InlineWakes<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let Self {
            future,
            shared,
            waker,
        } = &mut *self;
        shared.task.register(cx.waker());
        let mut inner = Context::from_waker(waker);
        for _ in 0..INLINE_POLLS {
            shared.state.store(POLLING, Ordering::Release);
            let polled = future.as_mut().poll(&mut inner);
            let state = shared.state.swap(IDLE, Ordering::AcqRel);
            if polled.is_ready() || state != WOKEN_WHILE_POLLING {
                return polled;
            }
        }
        // Still waking itself: let Tokio run other tasks first.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    /// Counts the wakes of the task's own waker.
    struct Counting(AtomicUsize);

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting() -> (Arc<Counting>, Waker) {
        let count = Arc::new(Counting(AtomicUsize::new(0)));
        (count.clone(), Waker::from(count))
    }

    /// Wakes itself during each of its first `wakes` polls, then finishes.
    struct WakesItself {
        wakes: usize,
        polls: usize,
    }

    impl Future for WakesItself {
        type Output = usize;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            if self.polls > self.wakes {
                return Poll::Ready(self.polls);
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[test]
    fn a_wake_during_the_poll_is_answered_by_polling_again_not_by_the_task() {
        let (count, waker) = counting();
        let mut future = inline_wakes(WakesItself { wakes: 2, polls: 0 });
        let polled = Pin::new(&mut future).poll(&mut Context::from_waker(&waker));
        assert_eq!(polled, Poll::Ready(3), "three polls in one");
        assert_eq!(
            count.0.load(Ordering::SeqCst),
            0,
            "the task was never woken"
        );
    }

    #[test]
    fn a_future_that_keeps_waking_itself_yields_to_the_task_after_the_bound() {
        let (count, waker) = counting();
        let mut future = inline_wakes(WakesItself {
            wakes: usize::MAX,
            polls: 0,
        });
        let polled = Pin::new(&mut future).poll(&mut Context::from_waker(&waker));
        assert_eq!(polled, Poll::Pending);
        assert_eq!(future.future.polls, INLINE_POLLS);
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "woken once, to yield");
    }

    /// Pending until its flag is set; keeps the waker it was last given.
    struct WaitsForFlag {
        flag: Arc<Mutex<(bool, Option<Waker>)>>,
        polls: usize,
    }

    impl Future for WaitsForFlag {
        type Output = usize;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            self.polls += 1;
            let mut flag = self.flag.lock().unwrap();
            if flag.0 {
                return Poll::Ready(self.polls);
            }
            flag.1 = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    #[test]
    fn a_wake_between_polls_from_another_thread_wakes_the_task() {
        let (count, waker) = counting();
        let flag = Arc::new(Mutex::new((false, None::<Waker>)));
        let mut future = inline_wakes(WaitsForFlag {
            flag: flag.clone(),
            polls: 0,
        });
        let mut cx = Context::from_waker(&waker);
        assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
        assert_eq!(future.future.polls, 1, "no wake, no second poll");
        std::thread::spawn(move || {
            let mut flag = flag.lock().unwrap();
            flag.0 = true;
            flag.1.take().expect("a waker was kept").wake();
        })
        .join()
        .unwrap();
        assert_eq!(count.0.load(Ordering::SeqCst), 1, "the task was woken");
        assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Ready(2));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_task_woken_by_other_tasks_runs_to_the_end() {
        // Channels, timers and another task's wakes reach the wrapped task.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<usize>(1);
        let sender = tokio::spawn(async move {
            for n in 0..100 {
                tx.send(n).await.unwrap();
                if n % 10 == 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                }
            }
        });
        let sum = tokio::spawn(inline_wakes(async move {
            let mut sum = 0;
            while let Some(n) = rx.recv().await {
                sum += n;
            }
            sum
        }));
        sender.await.unwrap();
        assert_eq!(sum.await.unwrap(), (0..100).sum::<usize>());
    }
}
