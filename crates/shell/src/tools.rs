//! The Kafka command-line tools, looked up by the distribution and script a
//! command runs from. The tools arrive issue by issue; a script whose tool is
//! not here answers `NAME: not yet available in this playground` (exit 127).

use crate::builtins::Call;
use crate::exec::job::LocalFuture;
use crate::vfs::Program;

/// A tool's entry point: runs with the call's arguments and streams, returns an exit status.
pub type Tool = fn(Call) -> LocalFuture<i32>;

/// Every tool, by (distribution directory, script name).
const TOOLS: &[(&str, &str, Tool)] = &[];

pub fn find(program: &Program) -> Option<Tool> {
    TOOLS
        .iter()
        .find(|(dist, script, _)| *dist == program.distribution && *script == program.script)
        .map(|(_, _, tool)| *tool)
}
