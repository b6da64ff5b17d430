//! Runs the browser tests (tests/e2e, Playwright driving Debian's Chromium)
//! against the binary built with this test run. Skipped with a message where
//! Chromium or the npm packages are missing, except under CI, where that fails.

use std::path::Path;
use std::process::Command;

#[test]
fn kiosk_customer_and_staff_journeys_in_a_real_browser() {
    let e2e = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = e2e.join("node_modules/playwright-core").is_dir()
        && e2e.join("node_modules/axe-core").is_dir()
        && Path::new(&chromium).exists()
        && Command::new("node").arg("--version").output().is_ok();
    if !ready {
        let ci = std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
        assert!(
            !ci,
            "CI needs the browser tests: Chromium at {chromium} and `npm ci` in tests/e2e"
        );
        eprintln!("browser tests skipped: install chromium and run `npm ci` in tests/e2e");
        return;
    }
    let output = Command::new("node")
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-timeout=120000",
            ".",
        ])
        .current_dir(&e2e)
        .env("TELLUS_BIN", env!("CARGO_BIN_EXE_tellus"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "browser tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let declared = declared_tests(&e2e);
    assert!(declared > 0, "no browser tests found in {}", e2e.display());
    let summary = |name: &str| tap_count(&stdout, name);
    assert_eq!(
        (summary("tests"), summary("pass"), summary("fail")),
        (Some(declared), Some(declared), Some(0)),
        "all {declared} browser tests declared in tests/e2e ran and passed:\n{stdout}"
    );
}

/// How many `test(` declarations the `*.test.mjs` files in `dir` hold.
fn declared_tests(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .expect("tests/e2e is readable")
        .map(|entry| entry.expect("tests/e2e entry").path())
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .map(|path| {
            std::fs::read_to_string(&path)
                .expect("a browser test file")
                .lines()
                .filter(|line| line.starts_with("test("))
                .count()
        })
        .sum()
}

/// The number on node's TAP summary line `# {name} N`.
fn tap_count(stdout: &str, name: &str) -> Option<usize> {
    let prefix = format!("# {name} ");
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|n| n.trim().parse().ok())
}
