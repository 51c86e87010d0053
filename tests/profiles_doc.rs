//! docs/profiles.md stays true: its example profile, taken from the page itself, is put in a
//! `QUIRE_PROFILES` folder and `quire inspect` reads a workbook laid out as the page describes
//! (title and note above a header in row 3, the columns it names) with exactly those columns.

use std::path::Path;
use std::process::Command;

/// The first ```toml block of the page that defines a profile (`name = …`).
fn example_profile() -> String {
    let page = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/profiles.md")).expect("docs/profiles.md");
    page.split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("name = "))
        .expect("a profile example in docs/profiles.md")
        .to_string()
}

fn workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Vendor Questions 2026").unwrap();
    ws.write(0, 0, "Acme Health Vendor Review").unwrap();
    ws.write(1, 0, "Please answer every question; attach evidence where asked.").unwrap();
    for (c, h) in ["Control", "Statement", "Vendor Reply", "Remarks"].iter().enumerate() {
        // Header cells Quire's vocabulary does not know: only the profile can read them.
        ws.write(2, c as u16 + 1, *h).unwrap();
    }
    let rows = [
        ("Access control", "AC-1", "Do you enforce multi-factor authentication for administrators?", "Yes", "All admin consoles"),
        ("Access control", "AC-2", "Are user access rights reviewed at least quarterly?", "No", ""),
        ("Encryption", "EN-1", "Is customer data encrypted at rest with AES-256?", "Yes", "KMS managed"),
    ];
    for (i, (d, r, q, a, c)) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        for (col, v) in [d, r, q, a, c].iter().enumerate() {
            ws.write(row, col as u16, **v).unwrap();
        }
    }
    let notes = wb.add_worksheet().set_name("Notes").unwrap();
    notes.write(0, 0, "Question").unwrap();
    notes.write(1, 0, "Is this sheet skipped because the profile lists only its own?").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn the_profile_example_reads_its_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    std::fs::write(profiles.join("acme-vendor-review.toml"), example_profile()).unwrap();
    let file = dir.path().join("Acme Vendor Review 2026.xlsx");
    workbook(&file);

    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["--db"])
        .arg(dir.path().join("lib.sqlite"))
        .arg("inspect")
        .arg(&file)
        .arg("--json")
        .env("QUIRE_PROFILES", &profiles)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["profile"], "acme-vendor-review", "{v:#}");
    let sheets = v["sheets"].as_array().unwrap();
    let used: Vec<&serde_json::Value> = sheets.iter().filter(|s| s["used"] == true).collect();
    assert_eq!(used.len(), 1, "only the listed sheet is read: {v:#}");
    let s = used[0];
    assert_eq!(s["name"], "Vendor Questions 2026");
    assert_eq!(s["header_row"], 3);
    assert_eq!(s["columns"]["question"], "C");
    assert_eq!(s["columns"]["answer"], "D");
    assert_eq!(s["columns"]["comment"], "E");
    assert_eq!(s["columns"]["ref"], "B");
    assert_eq!(s["columns"]["domain"], "A");
    assert_eq!(s["questions"], 3);
    assert_eq!(s["answered"], 3);

    // Without the profile, the unknown header words leave Quire guessing from content.
    let plain = Command::new(env!("CARGO_BIN_EXE_quire")).args(["--db"]).arg(dir.path().join("lib.sqlite")).arg("inspect").arg(&file).arg("--json").env_remove("QUIRE_PROFILES").output().unwrap();
    if plain.status.success() {
        let p: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
        assert!(p["profile"].is_null(), "{p:#}");
    }
}

#[test]
fn a_broken_profile_names_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = dir.path().join("profiles");
    std::fs::create_dir(&profiles).unwrap();
    std::fs::write(profiles.join("broken.toml"), example_profile().replace("question = \"C\"", "question = \"three\"")).unwrap();
    let file = dir.path().join("q.xlsx");
    workbook(&file);
    let out = Command::new(env!("CARGO_BIN_EXE_quire")).args(["--db"]).arg(dir.path().join("lib.sqlite")).arg("inspect").arg(&file).env("QUIRE_PROFILES", &profiles).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("acme-vendor-review") || err.contains("broken.toml"), "{err}");
}
