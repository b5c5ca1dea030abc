//! What one terminal's shell shares with everything it runs: the host and its
//! files, the world (for time), the screen, typed input, history and jobs.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::Poll;
use std::time::Duration;

use sim::{SimTime, TimerKind, TimerOwner, World};

use crate::exec::io::{Activity, Screen, Tty};
use crate::exec::job::{JobCtl, JobTable};
use crate::vfs::SharedFs;

/// What every terminal of a playground shares.
#[derive(Debug)]
pub struct Shared {
    pub world: RefCell<World>,
    pub activity: Rc<Activity>,
    next_timer_owner: Cell<u64>,
}

impl Shared {
    pub fn new(world: World) -> Rc<Shared> {
        Rc::new(Shared {
            world: RefCell::new(world),
            activity: Rc::new(Activity::default()),
            next_timer_owner: Cell::new(1),
        })
    }

    pub fn now(&self) -> SimTime {
        self.world.borrow().now()
    }

    fn timer_owner(&self) -> TimerOwner {
        let n = self.next_timer_owner.get();
        self.next_timer_owner.set(n + 1);
        TimerOwner(n)
    }
}

/// One shell session, shared by the terminal and the jobs it runs.
#[derive(Debug)]
pub struct Session {
    pub shared: Rc<Shared>,
    pub host: String,
    pub user: String,
    pub fs: SharedFs,
    pub screen: Rc<Screen>,
    pub tty: Rc<Tty>,
    pub history: RefCell<Vec<String>>,
    pub jobs: RefCell<JobTable>,
    pub cols: Cell<u16>,
    pub rows: Cell<u16>,
    /// Set by `exit` in the shell itself (not in a subshell).
    pub exit_request: Cell<Option<i32>>,
    /// `$$`
    pub shell_pid: u32,
    /// `$!`
    pub last_background_pid: Cell<Option<u32>>,
}

impl Session {
    pub fn now(&self) -> SimTime {
        self.shared.now()
    }

    pub fn allocate_pid(&self) -> u32 {
        self.shared.world.borrow_mut().allocate_pid(&self.host)
    }

    /// Waits `duration` of virtual time. A sleep in the foreground job holds
    /// kplay's next typed line until it ends (see `Playground::settle`).
    pub async fn sleep(&self, job: &Rc<JobCtl>, duration: Duration) {
        self.wait(job, duration, TimerKind::OneShot).await;
    }

    /// Waits `duration` as the next step of something that repeats forever
    /// (`tail -f` looking at its file): it never holds kplay's next line.
    pub async fn tick(&self, job: &Rc<JobCtl>, duration: Duration) {
        self.wait(job, duration, TimerKind::Periodic).await;
    }

    async fn wait(&self, job: &Rc<JobCtl>, duration: Duration, kind: TimerKind) {
        let deadline = self.now() + duration;
        let owner = self.shared.timer_owner();
        let id = self
            .shared
            .world
            .borrow_mut()
            .set_timer(deadline, owner, kind);
        let counts_as_sleep = kind == TimerKind::OneShot;
        if counts_as_sleep {
            job.sleep_started();
        }
        let _guard = SleepGuard {
            shared: self.shared.clone(),
            job: counts_as_sleep.then(|| job.clone()),
            id,
            owner,
        };
        poll_fn(|_| {
            if self.now() >= deadline {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
    }
}

/// Ends a sleep's bookkeeping whether it finished or was interrupted.
struct SleepGuard {
    shared: Rc<Shared>,
    /// The job whose sleep count this wait holds, if it counts as a sleep.
    job: Option<Rc<JobCtl>>,
    id: sim::TimerId,
    owner: TimerOwner,
}

impl Drop for SleepGuard {
    fn drop(&mut self) {
        if let Some(job) = &self.job {
            job.sleep_ended();
        }
        self.shared
            .world
            .borrow_mut()
            .cancel_timer(self.id, self.owner);
    }
}
