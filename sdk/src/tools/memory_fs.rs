//! [`FsMemory`]: the memory tool stored in a local directory.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::memory::{MemoryTool, MEMORY_ROOT};
use super::tool::{Result, ToolError};

/// Line numbers are right-aligned to this width (as in the official SDKs' output).
const LINE_NUMBER_WIDTH: usize = 6;
/// Files with more lines than this are refused by `view`.
const MAX_LINES: usize = 999_999;

/// The memory tool stored under a directory: `/memories/notes.md` is `<root>/notes.md`.
///
/// Every path is checked before use and refused with a clear error when it would leave the
/// root: paths outside `/memories`, `..` components, NUL bytes, backslashes, and symbolic links
/// that resolve outside the root (or do not resolve). Edits are atomic: the new content is
/// written to a temporary file beside the target and renamed over it, so a failed write never
/// loses the old file; `create` and `rename` never replace an existing file.
///
/// The checks run just before each operation. Another process that can write to the root
/// while the tool runs could still swap a directory for a symbolic link in between; give the
/// tool a directory only it writes to.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// use anthropic::tools::{FsMemory, MemoryTool};
/// let memory = FsMemory::new("./memory")?;
/// memory.create("/memories/prefs.md", "likes tea\n").await.unwrap();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct FsMemory {
    root: PathBuf,
}

impl FsMemory {
    /// Uses `root` (created if missing) as `/memories`.
    pub fn new(root: impl AsRef<Path>) -> io::Result<FsMemory> {
        fs::create_dir_all(root.as_ref())?;
        Ok(FsMemory {
            root: fs::canonicalize(root)?,
        })
    }

    /// The directory holding `/memories` (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The local path of a memory path, after every check.
    pub fn resolve(&self, path: &str) -> Result<PathBuf> {
        resolve(&self.root, path)
    }

    async fn run<T: Send + 'static>(
        &self,
        op: impl FnOnce(&Path) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || op(&root))
            .await
            .map_err(|e| ToolError::new(format!("the memory operation failed: {e}")))?
    }
}

impl MemoryTool for FsMemory {
    async fn view(&self, path: &str, view_range: Option<[i64; 2]>) -> Result<String> {
        let path = path.to_owned();
        self.run(move |root| view(root, &path, view_range)).await
    }

    async fn create(&self, path: &str, file_text: &str) -> Result<String> {
        let (path, text) = (path.to_owned(), file_text.to_owned());
        self.run(move |root| create(root, &path, &text)).await
    }

    async fn str_replace(&self, path: &str, old_str: &str, new_str: &str) -> Result<String> {
        let (path, old, new) = (path.to_owned(), old_str.to_owned(), new_str.to_owned());
        self.run(move |root| str_replace(root, &path, &old, &new))
            .await
    }

    async fn insert(&self, path: &str, insert_line: u64, insert_text: &str) -> Result<String> {
        let (path, text) = (path.to_owned(), insert_text.to_owned());
        self.run(move |root| insert(root, &path, insert_line, &text))
            .await
    }

    async fn delete(&self, path: &str) -> Result<String> {
        let path = path.to_owned();
        self.run(move |root| delete(root, &path)).await
    }

    async fn rename(&self, old_path: &str, new_path: &str) -> Result<String> {
        let (old, new) = (old_path.to_owned(), new_path.to_owned());
        self.run(move |root| rename(root, &old, &new)).await
    }
}

fn err(message: impl std::fmt::Display) -> ToolError {
    ToolError::new(message)
}

/// An I/O error about `path` (the memory path: the local one is never shown to the model).
fn io_err(path: &str, e: &io::Error) -> ToolError {
    match e.kind() {
        io::ErrorKind::NotFound => err(format!("The path {path} does not exist.")),
        _ => err(format!("Could not access {path}: {e}")),
    }
}

/// Checks a memory path and maps it under `root` (see [`FsMemory`] for the rules).
fn resolve(root: &Path, path: &str) -> Result<PathBuf> {
    if path.contains('\0') {
        return Err(err("The path contains a NUL byte."));
    }
    let rest = match path.strip_prefix(MEMORY_ROOT) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => rest,
        _ => {
            return Err(err(format!(
                "The path {path} is outside {MEMORY_ROOT}: every memory path starts with {MEMORY_ROOT}/."
            )))
        }
    };
    let mut full = root.to_path_buf();
    for part in rest.split('/') {
        match part {
            "" | "." => continue,
            ".." => {
                return Err(err(format!(
                    "The path {path} uses `..`, which is not allowed: it could leave {MEMORY_ROOT}."
                )))
            }
            _ => {}
        }
        let mut components = Path::new(part).components();
        let single_normal = matches!(
            (components.next(), components.next()),
            (Some(Component::Normal(c)), None) if c == OsStr::new(part)
        );
        if part.contains('\\') || !single_normal {
            return Err(err(format!(
                "The path {path} has an invalid component {part:?}."
            )));
        }
        full.push(part);
        check_symlink(root, &full, path)?;
    }
    Ok(full)
}

/// Refuses `full` when it is a symbolic link that does not resolve inside `root`.
fn check_symlink(root: &Path, full: &Path, path: &str) -> Result<()> {
    match fs::symlink_metadata(full) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(full) {
            Ok(target) if target.starts_with(root) => Ok(()),
            Ok(_) => Err(err(format!(
                "The path {path} goes through a symbolic link that leads outside {MEMORY_ROOT}."
            ))),
            Err(_) => Err(err(format!(
                "The path {path} goes through a symbolic link that cannot be resolved."
            ))),
        },
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(path, &e)),
    }
}

fn is_root(path: &str) -> bool {
    path.trim_end_matches('/') == MEMORY_ROOT
}

fn view(root: &Path, path: &str, view_range: Option<[i64; 2]>) -> Result<String> {
    let full = resolve(root, path)?;
    let meta = fs::metadata(&full).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => err(format!(
            "The path {path} does not exist. Please provide a valid path."
        )),
        _ => io_err(path, &e),
    })?;
    let shown = path.trim_end_matches('/');
    if meta.is_dir() {
        let mut lines = vec![format!("{}\t{shown}", format_size(meta.len()))];
        list_dir(&full, shown, 1, &mut lines);
        return Ok(format!(
            "Here're the files and directories up to 2 levels deep in {shown}, excluding hidden items:\n{}",
            lines.join("\n")
        ));
    }
    let content = read_text(&full, path)?;
    let lines: Vec<&str> = content.split('\n').collect();
    if lines.len() > MAX_LINES {
        return Err(err(format!(
            "The file {path} exceeds the maximum of {MAX_LINES} lines."
        )));
    }
    let (start, end) = match view_range {
        None => (1, lines.len()),
        Some([first, last]) => {
            let count = lines.len() as i64;
            let last = if last == -1 { count } else { last };
            if first < 1 || first > count || last < first || last > count {
                return Err(err(format!(
                    "Invalid view_range [{first}, {last}]: lines are numbered 1 to {count}, and the range must be [first, last] with first <= last (last may be -1 for the end)."
                )));
            }
            (first as usize, last as usize)
        }
    };
    let numbered: Vec<String> = lines[start - 1..end]
        .iter()
        .enumerate()
        .map(|(i, line)| format!("{:>width$}\t{line}", start + i, width = LINE_NUMBER_WIDTH))
        .collect();
    Ok(format!(
        "Here's the content of {path} with line numbers:\n{}",
        numbered.join("\n")
    ))
}

/// Lists `dir` two levels deep, sorted by name, without hidden entries; symbolic links are
/// listed but never followed.
fn list_dir(dir: &Path, shown: &str, depth: usize, lines: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let child = format!("{shown}/{name}");
        if meta.is_dir() {
            lines.push(format!("{}\t{child}/", format_size(meta.len())));
            if depth < 2 {
                list_dir(&entry.path(), &child, depth + 1, lines);
            }
        } else {
            lines.push(format!("{}\t{child}", format_size(meta.len())));
        }
    }
}

fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "K", "M", "G"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if size.fract() == 0.0 {
        format!("{}{}", size as u64, UNITS[unit])
    } else {
        format!("{size:.1}{}", UNITS[unit])
    }
}

fn read_text(full: &Path, path: &str) -> Result<String> {
    let bytes = fs::read(full).map_err(|e| io_err(path, &e))?;
    String::from_utf8(bytes).map_err(|_| err(format!("The file {path} is not UTF-8 text.")))
}

fn require_file(full: &Path, path: &str) -> Result<()> {
    match fs::metadata(full) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(err(format!("The path {path} is not a file."))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(err(format!(
            "The path {path} does not exist. Please provide a valid path."
        ))),
        Err(e) => Err(io_err(path, &e)),
    }
}

fn create(root: &Path, path: &str, text: &str) -> Result<String> {
    if is_root(path) {
        return Err(err(format!(
            "{MEMORY_ROOT} is a directory; give a file path below it."
        )));
    }
    let full = resolve(root, path)?;
    if fs::symlink_metadata(&full).is_ok() {
        return Err(err(format!("File {path} already exists.")));
    }
    create_parent(root, &full, path)?;
    let temp = write_temp(&full, text.as_bytes(), None).map_err(|e| io_err(path, &e))?;
    // `hard_link` never replaces an existing file, so a file created concurrently is kept.
    let linked = fs::hard_link(&temp, &full);
    let result = match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(err(format!("File {path} already exists.")))
        }
        // No hard links on this file system: check, then rename.
        Err(_) if fs::symlink_metadata(&full).is_ok() => {
            Err(err(format!("File {path} already exists.")))
        }
        Err(_) => fs::rename(&temp, &full).map_err(|e| io_err(path, &e)),
    };
    let _ = fs::remove_file(&temp);
    result.map(|()| format!("File created successfully at: {path}"))
}

/// Creates the missing parent directories of `full`, re-checking that none escapes `root`.
fn create_parent(root: &Path, full: &Path, path: &str) -> Result<()> {
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).map_err(|e| io_err(path, &e))?;
        match fs::canonicalize(parent) {
            Ok(real) if real.starts_with(root) => {}
            _ => return Err(err(format!("The path {path} would leave {MEMORY_ROOT}."))),
        }
    }
    Ok(())
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `data` to a new hidden file beside `target` (synced to disk), copying `permissions`.
fn write_temp(
    target: &Path,
    data: &[u8],
    permissions: Option<fs::Permissions>,
) -> io::Result<PathBuf> {
    let dir = target.parent().unwrap_or(target);
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        let mut file = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = file
            .write_all(data)
            .and_then(|()| file.sync_all())
            .and_then(|()| match &permissions {
                Some(p) => fs::set_permissions(&temp, p.clone()),
                None => Ok(()),
            });
        if let Err(e) = written {
            drop(file);
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        return Ok(temp);
    }
}

/// Replaces the content of the existing file `full` atomically (temporary file + rename).
fn replace_content(full: &Path, path: &str, content: &str) -> Result<()> {
    let permissions = fs::metadata(full).ok().map(|m| m.permissions());
    let temp = write_temp(full, content.as_bytes(), permissions).map_err(|e| io_err(path, &e))?;
    fs::rename(&temp, full).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_err(path, &e)
    })
}

fn str_replace(root: &Path, path: &str, old: &str, new: &str) -> Result<String> {
    let full = resolve(root, path)?;
    require_file(&full, path)?;
    let content = read_text(&full, path)?;
    if old.is_empty() {
        return Err(err("old_str must not be empty."));
    }
    let positions: Vec<usize> = content.match_indices(old).map(|(i, _)| i).collect();
    match positions.as_slice() {
        [] => Err(err(format!(
            "No replacement was performed, old_str `{old}` did not appear verbatim in {path}."
        ))),
        [at] => {
            let updated = format!("{}{new}{}", &content[..*at], &content[at + old.len()..]);
            replace_content(&full, path, &updated)?;
            let changed = content[..*at].matches('\n').count();
            let lines: Vec<&str> = updated.split('\n').collect();
            let first = changed.saturating_sub(2);
            let last = (changed + 3).min(lines.len());
            let snippet: Vec<String> = (first..last)
                .map(|i| format!("{:>width$}\t{}", i + 1, lines[i], width = LINE_NUMBER_WIDTH))
                .collect();
            Ok(format!(
                "The memory file has been edited. Here is the snippet showing the change (with line numbers):\n{}",
                snippet.join("\n")
            ))
        }
        many => {
            let line_numbers: Vec<String> = many
                .iter()
                .map(|at| (content[..*at].matches('\n').count() + 1).to_string())
                .collect();
            Err(err(format!(
                "No replacement was performed. Multiple occurrences of old_str `{old}` in lines: {}. Please ensure it is unique.",
                line_numbers.join(", ")
            )))
        }
    }
}

fn insert(root: &Path, path: &str, insert_line: u64, text: &str) -> Result<String> {
    let full = resolve(root, path)?;
    require_file(&full, path)?;
    let content = read_text(&full, path)?;
    let mut lines: Vec<&str> = content.lines().collect();
    let at = usize::try_from(insert_line).unwrap_or(usize::MAX);
    if at > lines.len() {
        return Err(err(format!(
            "Invalid `insert_line` parameter: {insert_line}. It should be within the range [0, {}].",
            lines.len()
        )));
    }
    lines.insert(at, text.trim_end_matches('\n'));
    let mut updated = lines.join("\n");
    updated.push('\n');
    replace_content(&full, path, &updated)?;
    Ok(format!("The file {path} has been edited."))
}

fn delete(root: &Path, path: &str) -> Result<String> {
    if is_root(path) {
        return Err(err(format!(
            "Cannot delete the {MEMORY_ROOT} directory itself."
        )));
    }
    let full = resolve(root, path)?;
    let meta = fs::symlink_metadata(&full).map_err(|e| io_err(path, &e))?;
    let removed = if meta.is_dir() {
        fs::remove_dir_all(&full)
    } else {
        // A file, or a symbolic link (removed itself, never its target).
        fs::remove_file(&full)
    };
    removed.map_err(|e| io_err(path, &e))?;
    Ok(format!("Successfully deleted {path}"))
}

fn rename(root: &Path, old: &str, new: &str) -> Result<String> {
    if is_root(old) || is_root(new) {
        return Err(err(format!(
            "Cannot rename the {MEMORY_ROOT} directory itself."
        )));
    }
    let old_full = resolve(root, old)?;
    let new_full = resolve(root, new)?;
    fs::symlink_metadata(&old_full).map_err(|e| io_err(old, &e))?;
    if fs::symlink_metadata(&new_full).is_ok() {
        return Err(err(format!("The destination {new} already exists.")));
    }
    create_parent(root, &new_full, new)?;
    fs::rename(&old_full, &new_full).map_err(|e| io_err(old, &e))?;
    Ok(format!("Successfully renamed {old} to {new}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_formatted_like_the_reference() {
        assert_eq!(format_size(0), "0B");
        assert_eq!(format_size(1023), "1023B");
        assert_eq!(format_size(1024), "1K");
        assert_eq!(format_size(1536), "1.5K");
        assert_eq!(format_size(5 * 1024 * 1024), "5M");
    }

    #[test]
    fn resolve_rejects_escapes_before_touching_the_disk() {
        let root = Path::new("/nonexistent-root");
        for bad in [
            "/etc/passwd",
            "memories/x",
            "/memoriesx/y",
            "/memories/../x",
            "/memories/a/../../x",
            "/memories/a\0b",
            "/memories/a\\..\\b",
        ] {
            assert!(resolve(root, bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(resolve(root, "/memories").unwrap(), root);
        assert_eq!(
            resolve(root, "/memories//a/./b/").unwrap(),
            root.join("a").join("b")
        );
    }
}
