//! `participa report`: a self-contained page, checked as text and, where
//! Chromium is installed (CI installs it), in a headless browser.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn write_report(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("report.html");
    let o = run(&[
        "report",
        &scenario("tiny.toml"),
        "--rules",
        "optimal,greedy",
        "--out",
        &path_str(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn the_page_is_self_contained_and_explains() {
    let dir = tempfile::tempdir().unwrap();
    let html = std::fs::read_to_string(write_report(dir.path())).unwrap();
    for bad in [
        "<script", "<link", " src=", "url(", "@import", "<iframe", "<img",
    ] {
        assert!(!html.contains(bad), "the page contains {bad}");
    }
    // The only URLs are SVG namespaces, which are names, not requests.
    let urls = html.matches("http://").count() + html.matches("https://").count();
    let namespaces = html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
    assert_eq!(urls, namespaces, "unexpected URLs in the page");
    for id in [
        "per_capita",
        "lorenz",
        "need_scatter",
        "coverage",
        "satisfaction",
        "shadow_prices",
    ] {
        assert!(
            html.contains(&format!("<figure id=\"chart-{id}\"")),
            "chart {id} missing"
        );
    }
    assert_eq!(html.matches("<svg").count(), 6);
    // Scenario in words, reasons, prices in words, metric explanations.
    assert!(
        html.contains("1,500,000 EUR to share among 3 districts (40,000 residents)"),
        "no scenario sentence"
    );
    assert!(html.contains("Every district is guaranteed 50% of its entitlement."));
    assert!(
        html.contains(
            "did not fit: it costs 600,000 EUR and 200,000 EUR was left when its turn came"
        ),
        "no greedy reason"
    );
    assert!(html.contains("The floor of district north (350,000 EUR) binds: each further 1,000,000 EUR it guarantees costs 2.333 points"), "no price sentence");
    assert!(html.contains("Below 0 = funding concentrated in the poorest districts"));
    assert!(html.contains("@media print"));
    assert!(html.contains("name=\"viewport\""));
}

#[test]
fn an_existing_report_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_report(dir.path());
    let o = run(&["report", &scenario("tiny.toml"), "--out", &path_str(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"));
}

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

/// What loading `page` in headless Chromium shows: console lines, URLs the
/// page itself requested (the browser's own background requests, which have
/// no initiator, are left out), the screenshot, and the rendered DOM.
struct Load {
    console: Vec<String>,
    requests: Vec<String>,
    screenshot: image::RgbImage,
    dom: String,
}

fn load(browser: &str, page: &Path, dir: &Path) -> Load {
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let netlog = dir.join("netlog.json");
    let shot = dir.join("shot.png");
    let base = |profile: &str| {
        let mut c = Command::new(browser);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", dir.join(profile).display()));
        c
    };
    let o = base("p1")
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,4000",
        ])
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let console = String::from_utf8_lossy(&o.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .map(str::to_string)
        .collect();
    // The net log is a JSON object, sometimes followed by an unterminated tail.
    let text = std::fs::read_to_string(&netlog).unwrap();
    let log: serde_json::Value = serde_json::Deserializer::from_str(&text)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .unwrap();
    let requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|u| !u.starts_with("file:") && !u.starts_with("data:"))
        .collect();
    let o = base("p2").args(["--dump-dom"]).arg(&url).output().unwrap();
    Load {
        console,
        requests,
        screenshot: image::open(&shot).unwrap().to_rgb8(),
        dom: String::from_utf8_lossy(&o.stdout).into_owned(),
    }
}

#[test]
fn renders_in_headless_chromium_without_errors_or_requests() {
    let Some(browser) = chromium() else {
        eprintln!("SKIPPED: no chromium on this machine (.ci/run installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The detector sees a request and a console error when a page makes them.
    let control = dir.path().join("control.html");
    std::fs::write(&control, "<!doctype html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')</script></body></html>").unwrap();
    let c = load(&browser, &control, &dir.path().join("control"));
    assert!(
        c.requests
            .iter()
            .any(|u| u.starts_with("http://127.0.0.1:9/")),
        "control request not seen: {:?}",
        c.requests
    );
    assert!(
        c.console.iter().any(|l| l.contains("boom")),
        "control console error not seen: {:?}",
        c.console
    );

    let page = write_report(dir.path());
    let r = load(&browser, &page, &dir.path().join("report"));
    assert!(r.console.is_empty(), "console messages: {:?}", r.console);
    assert!(r.requests.is_empty(), "network requests: {:?}", r.requests);
    let non_white = r
        .screenshot
        .pixels()
        .filter(|p| p[0] < 240 || p[1] < 240 || p[2] < 240)
        .count();
    assert!(
        non_white > 50_000,
        "the screenshot looks blank ({non_white} non-white pixels)"
    );
    for id in [
        "per_capita",
        "lorenz",
        "need_scatter",
        "coverage",
        "satisfaction",
        "shadow_prices",
    ] {
        let at = r
            .dom
            .find(&format!("id=\"chart-{id}\""))
            .unwrap_or_else(|| panic!("chart {id} not in the DOM"));
        assert!(r.dom[at..].contains("<svg"), "chart {id} has no svg");
    }
}

#[test]
fn a_what_if_section_from_a_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let o = run(&[
        "report",
        &scenario("subsidy-reallocation.toml"),
        "--vary",
        "budget.sources.abatements.to_pool=0:0.2:0.1",
        "--out",
        &path_str(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("What if: budget.sources.abatements.to_pool"));
    for id in [
        "sweep_poorest_quintile",
        "sweep_gini",
        "sweep_coverage",
        "sources_waterfall",
    ] {
        assert!(
            html.contains(&format!("<figure id=\"chart-{id}\"")),
            "{id} missing"
        );
    }
    // Three values, one rule: three rows, the pool growing by 1,805,000 each.
    for pool in ["3,710,000 USD", "5,515,000 USD", "7,320,000 USD"] {
        assert!(html.contains(pool), "{pool} missing");
    }
}
