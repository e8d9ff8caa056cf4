//! Which files an audit reads: every `.rs` file under the given paths, in a
//! stable order, skipping build output and hidden directories.

use std::path::{Path, PathBuf};

/// Every Rust source under `roots`, sorted per directory so that reports are
/// reproducible. A root that is a file is read whatever its name, because
/// the user asked for it; a root that does not exist is an error.
pub(crate) fn rust_files(roots: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for root in roots {
        let metadata = std::fs::metadata(root)
            .map_err(|err| format!("cannot read `{}`: {err}", root.display()))?;
        if metadata.is_dir() {
            walk(root, &mut files)?;
        } else {
            files.push(root.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot read `{}`: {err}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        // `symlink_metadata`: a link to a directory is not followed, so a
        // link cycle cannot make the walk endless.
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if metadata.is_dir() {
            if !skipped_dir(&name) {
                walk(&path, files)?;
            }
        } else if name.ends_with(".rs") && path.is_file() {
            files.push(path);
        }
    }
    Ok(())
}

/// `target/` holds build output (including other crates' generated code),
/// hidden directories hold VCS data and tool caches: neither is the crate.
fn skipped_dir(name: &str) -> bool {
    name == "target" || name.starts_with('.')
}

/// `path` as the user will want to read it: without a leading `./`.
pub(crate) fn display(path: &Path) -> String {
    let text = path.display().to_string();
    match text.strip_prefix("./") {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_build_output_and_hidden_directories() {
        assert!(skipped_dir("target"));
        assert!(skipped_dir(".git"));
        assert!(!skipped_dir("src"));
        assert_eq!(display(Path::new("./src/lib.rs")), "src/lib.rs");
        assert_eq!(display(Path::new("/a/b.rs")), "/a/b.rs");
    }
}
