//! The memory tool (`memory_20250818`): Claude keeps notes in a `/memories` directory that
//! the application stores. [`MemoryTool`] is the storage interface; [`FsMemory`](super::FsMemory)
//! stores it in a local directory.

use std::future::Future;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fn_tool::decode_input;
use super::tool::{Result, Tool, ToolOutput};
use crate::types::{BetaMemoryTool20250818, BetaToolUnion};

/// The directory every memory path starts with.
pub const MEMORY_ROOT: &str = "/memories";

/// A command of the memory tool, as Claude sends it (`input.command`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MemoryCommand {
    /// Shows a directory listing or a file's lines, numbered.
    View {
        /// The path (`/memories/…`).
        path: String,
        /// `[first, last]` line (1-based, inclusive; `last` may be `-1` for the end).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        view_range: Option<[i64; 2]>,
    },
    /// Creates a file.
    Create {
        /// The path.
        path: String,
        /// The whole content.
        file_text: String,
    },
    /// Replaces the one occurrence of `old_str` in a file.
    StrReplace {
        /// The path.
        path: String,
        /// The text to replace; it must occur exactly once.
        old_str: String,
        /// The replacement.
        new_str: String,
    },
    /// Inserts text after a line.
    Insert {
        /// The path.
        path: String,
        /// The line after which to insert (0: at the start).
        insert_line: u64,
        /// The text.
        insert_text: String,
    },
    /// Deletes a file or a directory.
    Delete {
        /// The path.
        path: String,
    },
    /// Renames or moves a file or a directory.
    Rename {
        /// The current path.
        old_path: String,
        /// The new path; it must not exist.
        new_path: String,
    },
}

/// Storage for the memory tool: one method per command, each returning the text Claude sees.
///
/// An error becomes an `is_error` tool result with its message; phrase it for Claude ("The path
/// /memories/x does not exist."). Paths are the ones Claude sends (`/memories/…`): validating
/// them is the implementation's job ([`FsMemory`](super::FsMemory) shows how).
///
/// Every `MemoryTool` is a [`Tool`] named `memory`, whose definition is
/// [`definition`](MemoryTool::definition); its calls of one turn run one after the other.
pub trait MemoryTool: Send + Sync + 'static {
    /// Lists a directory (two levels deep) or shows a file with line numbers.
    fn view(
        &self,
        path: &str,
        view_range: Option<[i64; 2]>,
    ) -> impl Future<Output = Result<String>> + Send;

    /// Creates a file with this content; fails if it exists.
    fn create(&self, path: &str, file_text: &str) -> impl Future<Output = Result<String>> + Send;

    /// Replaces the single occurrence of `old_str`.
    fn str_replace(
        &self,
        path: &str,
        old_str: &str,
        new_str: &str,
    ) -> impl Future<Output = Result<String>> + Send;

    /// Inserts `insert_text` after line `insert_line` (0: before the first line).
    fn insert(
        &self,
        path: &str,
        insert_line: u64,
        insert_text: &str,
    ) -> impl Future<Output = Result<String>> + Send;

    /// Deletes a file or a directory (recursively).
    fn delete(&self, path: &str) -> impl Future<Output = Result<String>> + Send;

    /// Renames or moves a file or directory; fails if `new_path` exists.
    fn rename(&self, old_path: &str, new_path: &str)
        -> impl Future<Output = Result<String>> + Send;

    /// The definition sent in `tools` (override to set `cache_control`, `strict`, …).
    fn definition(&self) -> BetaMemoryTool20250818 {
        BetaMemoryTool20250818::new()
    }

    /// Runs one command (dispatches to the methods above).
    fn execute(&self, command: MemoryCommand) -> impl Future<Output = Result<String>> + Send {
        async move {
            match command {
                MemoryCommand::View { path, view_range } => self.view(&path, view_range).await,
                MemoryCommand::Create { path, file_text } => self.create(&path, &file_text).await,
                MemoryCommand::StrReplace {
                    path,
                    old_str,
                    new_str,
                } => self.str_replace(&path, &old_str, &new_str).await,
                MemoryCommand::Insert {
                    path,
                    insert_line,
                    insert_text,
                } => self.insert(&path, insert_line, &insert_text).await,
                MemoryCommand::Delete { path } => self.delete(&path).await,
                MemoryCommand::Rename { old_path, new_path } => {
                    self.rename(&old_path, &new_path).await
                }
            }
        }
    }
}

impl<M: MemoryTool> Tool for M {
    fn name(&self) -> &str {
        "memory"
    }

    fn input_schema(&self) -> Map<String, Value> {
        // The API defines the schema of built-in tools; this one is never sent.
        Map::from_iter([("type".to_owned(), Value::from("object"))])
    }

    fn definition(&self) -> BetaToolUnion {
        MemoryTool::definition(self).into()
    }

    fn concurrent(&self) -> bool {
        false
    }

    async fn call(&self, input: Value) -> Result<ToolOutput> {
        let command: MemoryCommand = decode_input(input)?;
        self.execute(command).await.map(ToolOutput::Text)
    }
}
