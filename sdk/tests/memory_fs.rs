//! The filesystem memory tool: every command, path-traversal refusals, atomic edits.

use std::fs;
use std::path::Path;

use anthropic::tools::{FsMemory, MemoryCommand, MemoryTool, Tool};
use serde_json::json;

fn setup() -> (tempfile::TempDir, FsMemory) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("memories");
    let memory = FsMemory::new(&root).unwrap();
    (dir, memory)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn commands_behave_like_the_reference() {
    let (_dir, m) = setup();
    assert_eq!(
        m.create("/memories/notes/todo.md", "alpha\nbeta\ngamma\n")
            .await
            .unwrap(),
        "File created successfully at: /memories/notes/todo.md"
    );
    let err = m
        .create("/memories/notes/todo.md", "again")
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "File /memories/notes/todo.md already exists."
    );

    assert_eq!(
        m.view("/memories/notes/todo.md", None).await.unwrap(),
        "Here's the content of /memories/notes/todo.md with line numbers:\n     1\talpha\n     2\tbeta\n     3\tgamma\n     4\t"
    );
    assert_eq!(
        m.view("/memories/notes/todo.md", Some([2, -1])).await.unwrap(),
        "Here's the content of /memories/notes/todo.md with line numbers:\n     2\tbeta\n     3\tgamma\n     4\t"
    );
    assert!(m
        .view("/memories/notes/todo.md", Some([3, 2]))
        .await
        .is_err());
    assert!(m
        .view("/memories/notes/todo.md", Some([0, 2]))
        .await
        .is_err());

    let edited = m
        .str_replace("/memories/notes/todo.md", "beta", "BETA")
        .await
        .unwrap();
    assert!(
        edited.starts_with("The memory file has been edited."),
        "{edited}"
    );
    assert!(edited.contains("     2\tBETA"), "{edited}");
    let err = m
        .str_replace("/memories/notes/todo.md", "zeta", "x")
        .await
        .unwrap_err();
    assert!(
        err.message().contains("did not appear verbatim"),
        "{}",
        err.message()
    );
    m.create("/memories/dup.md", "x\ny\nx\n").await.unwrap();
    let err = m
        .str_replace("/memories/dup.md", "x", "z")
        .await
        .unwrap_err();
    assert!(
        err.message().contains("in lines: 1, 3"),
        "{}",
        err.message()
    );

    assert_eq!(
        m.insert("/memories/notes/todo.md", 1, "inserted\n")
            .await
            .unwrap(),
        "The file /memories/notes/todo.md has been edited."
    );
    assert_eq!(
        fs::read_to_string(m.root().join("notes/todo.md")).unwrap(),
        "alpha\ninserted\nBETA\ngamma\n"
    );
    let err = m
        .insert("/memories/notes/todo.md", 99, "x")
        .await
        .unwrap_err();
    assert!(err.message().contains("[0, 4]"), "{}", err.message());

    let listing = m.view("/memories", None).await.unwrap();
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(
        lines[0],
        "Here're the files and directories up to 2 levels deep in /memories, excluding hidden items:"
    );
    let paths: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split('\t').nth(1).unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/memories",
            "/memories/dup.md",
            "/memories/notes/",
            "/memories/notes/todo.md"
        ]
    );

    assert_eq!(
        m.rename("/memories/notes/todo.md", "/memories/archive/2024/todo.md")
            .await
            .unwrap(),
        "Successfully renamed /memories/notes/todo.md to /memories/archive/2024/todo.md"
    );
    let err = m
        .rename("/memories/dup.md", "/memories/archive/2024/todo.md")
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The destination /memories/archive/2024/todo.md already exists."
    );
    assert_eq!(
        fs::read_to_string(m.root().join("dup.md")).unwrap(),
        "x\ny\nx\n"
    );

    assert_eq!(
        m.delete("/memories/archive").await.unwrap(),
        "Successfully deleted /memories/archive"
    );
    assert!(m.delete("/memories/archive").await.is_err());
    assert!(m.delete("/memories").await.is_err());
    assert!(m.delete("/memories/").await.is_err());
    assert_eq!(entries(m.root()), ["dup.md", "notes"]);
}

#[tokio::test]
async fn paths_escaping_the_root_are_refused() {
    let (dir, m) = setup();
    fs::write(dir.path().join("secret.txt"), "top secret").unwrap();
    let escapes = [
        "/etc/passwd",
        "/memories/../secret.txt",
        "/memories/a/../../secret.txt",
        "/memories/..",
        "memories/x",
        "/memoriesevil/x",
        "/memories/x\0y",
        "/memories/..\\secret.txt",
        "",
    ];
    for path in escapes {
        for result in [
            m.view(path, None).await,
            m.create(path, "pwned").await,
            m.str_replace(path, "top", "pwned").await,
            m.insert(path, 0, "pwned").await,
            m.delete(path).await,
            m.rename(path, "/memories/moved").await,
            m.rename("/memories/nothing", path).await,
        ] {
            assert!(result.is_err(), "{path:?} was accepted: {result:?}");
        }
    }
    assert_eq!(
        fs::read_to_string(dir.path().join("secret.txt")).unwrap(),
        "top secret"
    );
    let err = m.view("/memories/../secret.txt", None).await.unwrap_err();
    assert!(err.message().contains("`..`"), "{}", err.message());
    // Error messages never show the local directory.
    let err = m.view("/memories/missing", None).await.unwrap_err();
    assert!(
        !err.message().contains(dir.path().to_str().unwrap()),
        "{}",
        err.message()
    );
}

#[cfg(unix)]
#[tokio::test]
async fn symlinks_leading_outside_are_refused() {
    use std::os::unix::fs::symlink;
    let (dir, m) = setup();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "top secret").unwrap();
    symlink(&outside, m.root().join("link_dir")).unwrap();
    symlink(outside.join("secret.txt"), m.root().join("link_file")).unwrap();
    symlink(dir.path().join("does-not-exist"), m.root().join("dangling")).unwrap();
    fs::write(m.root().join("inside.txt"), "fine").unwrap();
    symlink(m.root().join("inside.txt"), m.root().join("link_inside")).unwrap();

    for path in [
        "/memories/link_dir/secret.txt",
        "/memories/link_dir",
        "/memories/link_file",
        "/memories/dangling",
    ] {
        assert!(m.view(path, None).await.is_err(), "view {path}");
        assert!(
            m.str_replace(path, "top", "pwned").await.is_err(),
            "str_replace {path}"
        );
        assert!(m.insert(path, 0, "pwned").await.is_err(), "insert {path}");
    }
    // Writing through a symlinked directory or a dangling link is refused too.
    assert!(m.create("/memories/link_dir/new.txt", "x").await.is_err());
    assert!(m.create("/memories/dangling", "x").await.is_err());
    assert!(m
        .rename("/memories/inside.txt", "/memories/link_dir/moved.txt")
        .await
        .is_err());
    assert!(!outside.join("new.txt").exists() && !outside.join("moved.txt").exists());
    assert!(!dir.path().join("does-not-exist").exists());
    assert_eq!(
        fs::read_to_string(outside.join("secret.txt")).unwrap(),
        "top secret"
    );

    assert!(m.delete("/memories/link_file").await.is_err());
    assert!(outside.join("secret.txt").exists());
    // A link that stays inside works; deleting it removes the link, not its target.
    let inside = m.view("/memories/link_inside", None).await.unwrap();
    assert!(inside.contains("fine"), "{inside}");
    // The listing shows links without following them.
    let listing = m.view("/memories", None).await.unwrap();
    assert!(!listing.contains("secret.txt"), "{listing}");
    m.delete("/memories/link_inside").await.unwrap();
    assert_eq!(
        fs::read_to_string(m.root().join("inside.txt")).unwrap(),
        "fine"
    );
}

#[tokio::test]
async fn edits_are_atomic_and_leave_no_temporary_files() {
    let (_dir, m) = setup();
    m.create("/memories/a.md", "one\ntwo\n").await.unwrap();
    m.str_replace("/memories/a.md", "one", "uno").await.unwrap();
    m.insert("/memories/a.md", 0, "zero").await.unwrap();
    assert_eq!(
        fs::read_to_string(m.root().join("a.md")).unwrap(),
        "zero\nuno\ntwo\n"
    );
    assert_eq!(entries(m.root()), ["a.md"]);
    // A failed edit leaves the file as it was.
    assert!(m.str_replace("/memories/a.md", "", "x").await.is_err());
    assert!(m
        .str_replace("/memories/a.md", "absent", "x")
        .await
        .is_err());
    assert_eq!(
        fs::read_to_string(m.root().join("a.md")).unwrap(),
        "zero\nuno\ntwo\n"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_failed_write_keeps_the_old_file() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, m) = setup();
    m.create("/memories/d/a.md", "keep me\n").await.unwrap();
    let d = m.root().join("d");
    fs::set_permissions(&d, fs::Permissions::from_mode(0o500)).unwrap();
    let probe = fs::write(d.join("probe"), "x");
    if probe.is_ok() {
        // Running as root: permissions are not enforced, nothing to test.
        fs::remove_file(d.join("probe")).unwrap();
    } else {
        assert!(m
            .str_replace("/memories/d/a.md", "keep", "lose")
            .await
            .is_err());
        assert!(m.insert("/memories/d/a.md", 0, "lose").await.is_err());
        assert_eq!(fs::read_to_string(d.join("a.md")).unwrap(), "keep me\n");
    }
    fs::set_permissions(&d, fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(entries(&d), ["a.md"]);
}

#[tokio::test]
async fn the_tool_decodes_commands() {
    let (_dir, m) = setup();
    assert_eq!(m.name(), "memory");
    assert_eq!(
        serde_json::to_value(Tool::definition(&m)).unwrap(),
        json!({"type": "memory_20250818", "name": "memory"})
    );
    assert!(!m.concurrent());
    let out = m
        .call(json!({"command": "create", "path": "/memories/x.md", "file_text": "hi"}))
        .await
        .unwrap();
    assert_eq!(
        out.as_text(),
        Some("File created successfully at: /memories/x.md")
    );
    let err = m
        .call(json!({"command": "explode", "path": "/memories"}))
        .await
        .unwrap_err();
    assert!(
        err.message().contains("unknown variant `explode`"),
        "{}",
        err.message()
    );
    let err = m.call(json!({"command": "view"})).await.unwrap_err();
    assert!(
        err.message().contains("missing field `path`"),
        "{}",
        err.message()
    );
    let cmd: MemoryCommand = serde_json::from_value(
        json!({"command": "view", "path": "/memories", "view_range": [1, 5]}),
    )
    .unwrap();
    assert_eq!(
        cmd,
        MemoryCommand::View {
            path: "/memories".into(),
            view_range: Some([1, 5])
        }
    );
}
