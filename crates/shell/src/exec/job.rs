//! Jobs: what runs for one command line, their control flags, and bash's job table.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use sim::{ProcessId, Signal};

/// A boxed future that lives on the shell's single thread.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Exit status of a command killed by SIGINT (128 + 2).
pub const STATUS_INTERRUPTED: i32 = 130;
/// Exit status of a command killed by SIGTERM (128 + 15).
pub const STATUS_TERMINATED: i32 = 143;
/// Exit status of a writer whose reader went away (SIGPIPE, 128 + 13).
pub const STATUS_BROKEN_PIPE: i32 = 141;

/// Control flags of one job, shared by everything running in it.
#[derive(Debug, Default)]
pub struct JobCtl {
    interrupted: Cell<bool>,
    foreground: Cell<bool>,
    stopped_for_tty: Cell<bool>,
    /// `sleep`s under way in this job; a foreground sleep holds kplay's next line.
    sleeping: Cell<u32>,
    /// Jobs brought to the foreground by this one (`fg`): Ctrl-C reaches them too.
    forward_to: RefCell<Vec<Weak<JobCtl>>>,
    /// Jobs this one waits for (`fg`, `wait`).
    awaiting: RefCell<Vec<Weak<JobCtl>>>,
    /// The program of the world this job runs now (`kill` signals it).
    process: RefCell<Option<ProcessId>>,
    /// That program was ended by SIGKILL.
    killed: Cell<bool>,
}

impl JobCtl {
    pub fn new(foreground: bool) -> Rc<JobCtl> {
        let ctl = JobCtl::default();
        ctl.foreground.set(foreground);
        Rc::new(ctl)
    }

    pub fn interrupt(&self) {
        self.interrupted.set(true);
        for job in self.forward_to.borrow().iter().filter_map(Weak::upgrade) {
            job.interrupt();
        }
    }

    pub fn forward_interrupts_to(&self, job: &Rc<JobCtl>) {
        self.forward_to.borrow_mut().push(Rc::downgrade(job));
    }

    pub fn is_interrupted(&self) -> bool {
        self.interrupted.get()
    }

    pub fn is_foreground(&self) -> bool {
        self.foreground.get()
    }

    pub fn set_foreground(&self, fg: bool) {
        self.foreground.set(fg);
        if fg {
            self.stopped_for_tty.set(false);
        }
    }

    pub fn stop_for_tty_input(&self) {
        self.stopped_for_tty.set(true);
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped_for_tty.get()
    }

    pub fn sleep_started(&self) {
        self.sleeping.set(self.sleeping.get() + 1);
    }

    pub fn sleep_ended(&self) {
        self.sleeping.set(self.sleeping.get() - 1);
    }

    /// Whether the job waits for nothing but virtual time: a `sleep`, or a job
    /// it waits for that sleeps. kplay holds the next typed line until then.
    pub fn waits_on_time(&self) -> bool {
        self.sleeping.get() > 0
            || self
                .awaiting
                .borrow()
                .iter()
                .filter_map(Weak::upgrade)
                .any(|job| job.waits_on_time())
    }

    /// Notes that this job waits for `job` until the returned guard is dropped.
    pub fn await_job(self: &Rc<Self>, job: &Rc<JobCtl>) -> AwaitGuard {
        self.awaiting.borrow_mut().push(Rc::downgrade(job));
        AwaitGuard {
            waiter: self.clone(),
            job: Rc::downgrade(job),
        }
    }
}

/// Ends a wait noted by [`JobCtl::await_job`].
pub struct AwaitGuard {
    waiter: Rc<JobCtl>,
    job: Weak<JobCtl>,
}

impl Drop for AwaitGuard {
    fn drop(&mut self) {
        self.waiter
            .awaiting
            .borrow_mut()
            .retain(|j| !Weak::ptr_eq(j, &self.job));
    }
}

impl JobCtl {
    /// Notes the world program the job runs until [`JobCtl::detach_process`].
    pub fn attach_process(&self, pid: ProcessId) {
        *self.process.borrow_mut() = Some(pid);
    }

    /// The program has ended; `killed` if SIGKILL ended it.
    pub fn detach_process(&self, killed: bool) {
        *self.process.borrow_mut() = None;
        if killed {
            self.killed.set(true);
        }
    }

    pub fn process(&self) -> Option<ProcessId> {
        self.process.borrow().clone()
    }

    pub fn was_killed(&self) -> bool {
        self.killed.get()
    }
}

/// Runs `fut` until it ends or the job is interrupted (then: status 130).
pub fn interruptible(job: Rc<JobCtl>, fut: LocalFuture<i32>) -> impl Future<Output = i32> {
    Interruptible { job, fut }
}

struct Interruptible {
    job: Rc<JobCtl>,
    fut: LocalFuture<i32>,
}

impl Future for Interruptible {
    type Output = i32;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i32> {
        if self.job.is_interrupted() {
            return Poll::Ready(STATUS_INTERRUPTED);
        }
        self.fut.as_mut().poll(cx)
    }
}

/// Runs futures side by side (the commands of a pipeline) and returns all results.
pub fn join_all<T: 'static>(futures: Vec<LocalFuture<T>>) -> impl Future<Output = Vec<T>> {
    JoinAll {
        slots: futures.into_iter().map(Slot::Running).collect(),
    }
}

enum Slot<T> {
    Running(LocalFuture<T>),
    Done(T),
    Taken,
}

struct JoinAll<T> {
    slots: Vec<Slot<T>>,
}

impl<T> Unpin for JoinAll<T> {}

impl<T> Future for JoinAll<T> {
    type Output = Vec<T>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        let mut all_done = true;
        for slot in self.slots.iter_mut() {
            if let Slot::Running(f) = slot {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => *slot = Slot::Done(v),
                    Poll::Pending => all_done = false,
                }
            }
        }
        if !all_done {
            return Poll::Pending;
        }
        let results = self
            .slots
            .iter_mut()
            .map(|s| match std::mem::replace(s, Slot::Taken) {
                Slot::Done(v) => v,
                _ => unreachable!("every slot is done"),
            })
            .collect();
        Poll::Ready(results)
    }
}

/// The state of a background job as `jobs` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState {
    Running,
    Stopped,
    Done(i32),
    /// Ended by a signal it did not handle (`Terminated`, `Killed`).
    Signaled(Signal),
}

/// One entry of bash's job table (`[1]+  Running   sleep 10 &`).
#[derive(Debug)]
pub struct JobEntry {
    pub number: u32,
    pub pid: u32,
    pub text: String,
    pub ctl: Rc<JobCtl>,
    pub state: JobState,
    /// `kill %n` sent this signal to a job that runs no world program.
    pub kill_requested: Option<Signal>,
}

/// The background jobs of one shell, by job number.
#[derive(Default)]
pub struct JobTable {
    jobs: BTreeMap<u32, JobEntry>,
    /// Jobs started but not yet picked up by the terminal's executor.
    spawned: Vec<(u32, LocalFuture<i32>)>,
}

impl std::fmt::Debug for JobTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobTable")
            .field("jobs", &self.jobs)
            .finish_non_exhaustive()
    }
}

impl JobTable {
    /// Adds a job and returns its number: one more than the highest in use.
    pub fn add(&mut self, pid: u32, text: String, ctl: Rc<JobCtl>, fut: LocalFuture<i32>) -> u32 {
        let number = self.jobs.keys().next_back().map_or(1, |n| n + 1);
        self.jobs.insert(
            number,
            JobEntry {
                number,
                pid,
                text,
                ctl,
                state: JobState::Running,
                kill_requested: None,
            },
        );
        self.spawned.push((number, fut));
        number
    }

    pub fn take_spawned(&mut self) -> Vec<(u32, LocalFuture<i32>)> {
        std::mem::take(&mut self.spawned)
    }

    pub fn get(&self, number: u32) -> Option<&JobEntry> {
        self.jobs.get(&number)
    }

    pub fn get_mut(&mut self, number: u32) -> Option<&mut JobEntry> {
        self.jobs.get_mut(&number)
    }

    pub fn entries(&self) -> impl Iterator<Item = &JobEntry> {
        self.jobs.values()
    }

    pub fn remove(&mut self, number: u32) -> Option<JobEntry> {
        self.jobs.remove(&number)
    }

    /// `+` marks the current job (the newest), `-` the previous one.
    pub fn marker(&self, number: u32) -> char {
        let mut newest = self.jobs.keys().rev();
        if newest.next() == Some(&number) {
            '+'
        } else if newest.next() == Some(&number) {
            '-'
        } else {
            ' '
        }
    }

    pub fn current(&self) -> Option<u32> {
        self.jobs.keys().next_back().copied()
    }

    /// The line bash prints for a job: `[1]+  Done                    sleep 3`.
    pub fn status_line(&self, number: u32) -> Option<String> {
        let job = self.jobs.get(&number)?;
        let state = match job.state {
            JobState::Running => "Running".to_owned(),
            JobState::Stopped => "Stopped".to_owned(),
            JobState::Done(0) => "Done".to_owned(),
            JobState::Done(code) => format!("Exit {code}"),
            JobState::Signaled(signal) => signal.description().to_owned(),
        };
        let text = if job.state == JobState::Running {
            format!("{} &", job.text)
        } else {
            job.text.clone()
        };
        Some(format!(
            "[{}]{}  {:<24}{}",
            number,
            self.marker(number),
            state,
            text
        ))
    }
}
