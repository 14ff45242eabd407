//! Constructors for the API's built-in tools, so their definitions are never hand-written.
//!
//! **Server tools** run on Anthropic's side: put them in the request's `tools`
//! (`params.tools([builtin::web_search().max_uses(3)])`); the runner passes them through
//! and never runs them. **Client tools** have a fixed definition but run in your application:
//! wrap them with [`FnTool::with_definition`](super::FnTool::with_definition) and a handler for
//! their typed input ([`BashInput`], [`TextEditorCommand`]), or use the ready
//! [`MemoryTool`](super::MemoryTool) / [`FsMemory`](super::FsMemory).
//!
//! Each function returns the newest widely available version's generated type, whose setters
//! configure it (`.allowed_domains([…])`, `.cache_control(…)`); every other version in the spec
//! has its own type in [`crate::types`] (for example [`BetaWebSearchTool20260209`]).
//!
//! ```
//! use anthropic::tools::{builtin, BashInput, FnTool};
//! use anthropic::types::{BetaMessageCreateParams, BetaMessageParam, BetaToolUnion, Model};
//!
//! let params = BetaMessageCreateParams::new(Model::CLAUDE_SONNET_4_5, [BetaMessageParam::user("Hi")], 1024)
//!     .tools([
//!         BetaToolUnion::from(builtin::web_search().max_uses(3)),
//!         builtin::code_execution().into(),
//!     ]);
//! let bash = FnTool::with_definition(builtin::bash(), |input: BashInput| async move {
//!     Ok::<_, anthropic::tools::ToolError>(format!("would run {:?}", input.command))
//! });
//! assert_eq!(anthropic::tools::Tool::name(&bash), "bash");
//! ```

use serde::{Deserialize, Serialize};

#[allow(unused_imports)] // for the docs
use crate::types::BetaWebSearchTool20260209;
use crate::types::{
    BetaBashTool20250124, BetaCodeExecutionTool20250825, BetaComputerUseTool20250124,
    BetaMemoryTool20250818, BetaTextEditor20250728, BetaWebFetchTool20250910,
    BetaWebSearchTool20250305,
};

/// Client tool `bash_20250124` (name `bash`): Claude runs shell commands through your handler.
pub fn bash() -> BetaBashTool20250124 {
    BetaBashTool20250124::new()
}

/// Client tool `text_editor_20250728` (name `str_replace_based_edit_tool`): Claude views and
/// edits files through your handler.
pub fn text_editor() -> BetaTextEditor20250728 {
    BetaTextEditor20250728::new()
}

/// Client tool `computer_20250124` (name `computer`) for a display of this size (needs the
/// `computer-use-2025-01-24` beta).
pub fn computer(display_width_px: u64, display_height_px: u64) -> BetaComputerUseTool20250124 {
    BetaComputerUseTool20250124::new(display_height_px, display_width_px)
}

/// Client tool `memory_20250818` (name `memory`); see [`MemoryTool`](super::MemoryTool).
pub fn memory() -> BetaMemoryTool20250818 {
    BetaMemoryTool20250818::new()
}

/// Server tool `web_search_20250305` (name `web_search`).
pub fn web_search() -> BetaWebSearchTool20250305 {
    BetaWebSearchTool20250305::new()
}

/// Server tool `web_fetch_20250910` (name `web_fetch`).
pub fn web_fetch() -> BetaWebFetchTool20250910 {
    BetaWebFetchTool20250910::new()
}

/// Server tool `code_execution_20250825` (name `code_execution`).
pub fn code_execution() -> BetaCodeExecutionTool20250825 {
    BetaCodeExecutionTool20250825::new()
}

/// The input of the `bash` tool.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BashInput {
    /// The command to run (absent when restarting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Restart the shell session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart: Option<bool>,
}

/// A command of the text editor tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TextEditorCommand {
    /// Shows a file (numbered lines) or a directory listing.
    View {
        /// The path.
        path: String,
        /// `[first, last]` line, 1-based; `last` may be `-1` for the end.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        view_range: Option<[i64; 2]>,
    },
    /// Creates or overwrites a file.
    Create {
        /// The path.
        path: String,
        /// The content.
        file_text: String,
    },
    /// Replaces the single occurrence of `old_str`.
    StrReplace {
        /// The path.
        path: String,
        /// The text to replace.
        old_str: String,
        /// The replacement (absent: delete `old_str`).
        #[serde(default)]
        new_str: Option<String>,
    },
    /// Inserts text after a line (0: at the start).
    Insert {
        /// The path.
        path: String,
        /// The line after which to insert.
        insert_line: u64,
        /// The text (`new_str` in older tool versions).
        #[serde(alias = "new_str")]
        insert_text: String,
    },
    /// Reverts the last edit of a file (older tool versions).
    UndoEdit {
        /// The path.
        path: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::BetaToolUnion;
    use serde_json::json;

    #[test]
    fn definitions_have_the_spec_names() {
        let defs: Vec<BetaToolUnion> = vec![
            bash().into(),
            text_editor().into(),
            computer(1024, 768).into(),
            memory().into(),
            web_search().into(),
            web_fetch().into(),
            code_execution().into(),
        ];
        let json: Vec<_> = defs
            .iter()
            .map(|d| serde_json::to_value(d).unwrap())
            .collect();
        assert_eq!(
            json,
            vec![
                json!({"type": "bash_20250124", "name": "bash"}),
                json!({"type": "text_editor_20250728", "name": "str_replace_based_edit_tool"}),
                json!({"type": "computer_20250124", "name": "computer", "display_width_px": 1024, "display_height_px": 768}),
                json!({"type": "memory_20250818", "name": "memory"}),
                json!({"type": "web_search_20250305", "name": "web_search"}),
                json!({"type": "web_fetch_20250910", "name": "web_fetch"}),
                json!({"type": "code_execution_20250825", "name": "code_execution"}),
            ]
        );
    }

    #[test]
    fn client_tool_inputs_decode() {
        let cmd: TextEditorCommand = serde_json::from_value(
            json!({"command": "insert", "path": "/a", "insert_line": 2, "new_str": "x"}),
        )
        .unwrap();
        assert_eq!(
            cmd,
            TextEditorCommand::Insert {
                path: "/a".into(),
                insert_line: 2,
                insert_text: "x".into()
            }
        );
        let bash: BashInput = serde_json::from_value(json!({"restart": true})).unwrap();
        assert_eq!(bash.restart, Some(true));
    }
}
