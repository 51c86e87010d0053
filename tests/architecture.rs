//! Modules depend only downward. docs/architecture.md lists the core's top-level modules bottom
//! first ("layers (bottom first): …"); this test reads that line and checks every file under
//! src/ (the CLI in src/bin aside, and each file's `#[cfg(test)]` part, which may use anything):
//! a module may name (`crate::x`) only modules listed before it. A module missing from the list
//! fails too, so a new one gets its place on purpose.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn layers() -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).expect("docs/architecture.md");
    let line = doc.lines().find_map(|l| l.trim().strip_prefix("layers (bottom first):")).expect("a 'layers (bottom first): …' line in docs/architecture.md");
    line.split(',').map(|m| m.trim().trim_matches('`').to_string()).filter(|m| !m.is_empty()).collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src").flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "bin") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level modules a source text names as `crate::x` (`crate::{Error, Result}` is `error`),
/// comments and the `#[cfg(test)]` part left out.
fn named_modules(text: &str) -> Vec<String> {
    let code = match text.find("\n#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let name = if name.is_empty() || name == "Error" || name == "Result" || name == "ErrorReply" { "error".to_string() } else { name };
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn modules_depend_only_downward() {
    let order = layers();
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let declared: Vec<String> = lib.lines().filter_map(|l| l.trim().strip_prefix("pub mod ")).map(|m| m.trim_end_matches(';').to_string()).collect();
    for m in &declared {
        assert!(order.contains(m), "src/lib.rs declares `{m}`, which docs/architecture.md's layer list does not place");
    }
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut wrong = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root().join("src")).unwrap().to_string_lossy().replace('\\', "/");
        let module = rel.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let Some(at) = order.iter().position(|m| *m == module) else { continue };
        for named in named_modules(&std::fs::read_to_string(&f).unwrap()) {
            match order.iter().position(|m| *m == named) {
                Some(to) if to <= at => {}
                Some(_) => wrong.push(format!("{rel} uses crate::{named}, which sits above `{module}`")),
                None => wrong.push(format!("{rel} uses crate::{named}, which the layer list does not place")),
            }
        }
    }
    assert!(wrong.is_empty(), "modules must depend only downward (docs/architecture.md):\n{}", wrong.join("\n"));
}

#[test]
fn the_scan_sees_imports_and_skips_tests_and_comments() {
    let text = "use crate::sheet::Question;\nuse crate::{Error, Result};\n// crate::workflow in a comment\nfn f() { crate::dates::today(); }\n#[cfg(test)]\nmod tests { use crate::workflow; }\n";
    assert_eq!(named_modules(text), vec!["sheet", "error", "dates"]);
}
