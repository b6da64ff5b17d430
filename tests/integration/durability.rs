//! Crash safety of the `tellus` binary on SQLite: a server killed with SIGKILL
//! while customers are submitting loses none of the submissions it had already
//! thanked for (shown a reference), and starts again on the same data folder.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};
use rand::{Rng, SeedableRng};

use crate::support::cli::{Http, Tellus};
use crate::support::html::hidden;

/// Client threads posting at once.
const CLIENTS: usize = 8;
/// Acknowledged submissions below which the test proves nothing.
const MIN_ACKNOWLEDGED: usize = 50;

/// The reference on a thank-you page.
fn reference(page: &str) -> Option<String> {
    let marker = "class=\"reference\">";
    let start = page.find(marker)? + marker.len();
    let reference = page.get(start..start + 12)?;
    reference.starts_with("TL-").then(|| reference.to_owned())
}

#[derive(diesel::QueryableByName)]
struct Stored {
    #[diesel(sql_type = diesel::sql_types::Text)]
    reference: String,
}

/// What the client threads saw.
#[derive(Default)]
struct Seen {
    acknowledged: Vec<String>,
    refused: Vec<u16>,
}

#[test]
fn acknowledged_submissions_survive_sigkill() {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temp dir");
    let cli = Tellus::new(dir.path(), None);
    cli.add_location("shop", "Bakkerij De Zon").assert_success();
    let settings = [
        ("TELLUS_PUBLIC_RATE_LIMIT", "1000000"),
        ("TELLUS_FORM_MIN_SECONDS", "0"),
        ("TELLUS_LOG", "warn"),
    ];

    let mut server = cli.serve(&settings);
    server.wait_healthy(Duration::from_secs(20));
    let base = server.base.clone();
    let (status, form) = Http::new(&base).get("/f/shop");
    assert_eq!(status, 200, "{form}");
    let token = hidden(&form, "token").expect("form token");

    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (base, token) = (base.clone(), token.clone());
            let (stop, seen) = (Arc::clone(&stop), Arc::clone(&seen));
            thread::spawn(move || {
                let http = Http::new(&base);
                let mut rng = rand::rngs::StdRng::seed_from_u64(n as u64);
                let mut i = 0u64;
                // Stops on the first connection error: the server is gone.
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let key = format!("crash-{n}-{i}");
                    let face = rng.gen_range(1..=4).to_string();
                    let message = format!("durability {n}/{i}");
                    let fields = [
                        ("token", token.as_str()),
                        ("key", key.as_str()),
                        ("face", face.as_str()),
                        ("message", message.as_str()),
                        ("lang", "en"),
                    ];
                    match http.try_post("/f/shop", &fields) {
                        Ok((status, page)) if (200..300).contains(&status) => {
                            let r = reference(&page)
                                .unwrap_or_else(|| panic!("2xx without a reference: {page}"));
                            seen.lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .acknowledged
                                .push(r);
                        }
                        Ok((status, _)) => seen
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .refused
                            .push(status),
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();

    // Let the load run ~1.5 s (longer on a slow machine until the test means
    // something, at most 20 s), then pull the plug mid-flight.
    let load_started = Instant::now();
    loop {
        thread::sleep(Duration::from_millis(50));
        let acknowledged = seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .acknowledged
            .len();
        let elapsed = load_started.elapsed();
        if (elapsed >= Duration::from_millis(1500) && acknowledged > 2 * MIN_ACKNOWLEDGED)
            || elapsed >= Duration::from_secs(20)
        {
            break;
        }
    }
    let pid = libc::pid_t::try_from(server.pid()).expect("pid fits");
    // SAFETY: signals the server this test started; it has not been reaped yet.
    let killed = unsafe { libc::kill(pid, libc::SIGKILL) };
    assert_eq!(
        killed,
        0,
        "kill failed: {}",
        std::io::Error::last_os_error()
    );
    let status = server.reap();
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().expect("client thread");
    }
    drop(server);
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            status.and_then(|s| s.signal()),
            Some(libc::SIGKILL),
            "the server died some other way"
        );
    }

    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()));
    assert!(
        seen.refused.is_empty(),
        "submissions refused under load: {:?}",
        seen.refused
    );
    let acknowledged = seen.acknowledged;
    assert!(
        acknowledged.len() > MIN_ACKNOWLEDGED,
        "only {} submissions acknowledged before the kill: the test proves nothing",
        acknowledged.len()
    );

    // The server comes back on the same data folder and keeps taking submissions.
    let mut server = cli.serve(&settings);
    server.wait_healthy(Duration::from_secs(20));
    let http = Http::new(&server.base);
    let (status, form) = http.get("/f/shop");
    assert_eq!(status, 200, "form after the crash: {form}");
    let fresh_token = hidden(&form, "token").expect("form token");
    let after = [
        ("token", fresh_token.as_str()),
        ("key", "after-crash"),
        ("face", "2"),
        ("lang", "en"),
    ];
    let (status, page) = http
        .try_post("/f/shop", &after)
        .expect("post after the crash");
    assert_eq!(status, 200, "{page}");
    let after_reference = reference(&page).expect("reference after the crash");

    // Every reference a customer was shown is on disk.
    let path = dir.path().join("tellus.db");
    let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("open the database");
    conn.batch_execute("PRAGMA busy_timeout = 10000;")
        .expect("busy timeout");
    let stored: std::collections::HashSet<String> =
        diesel::sql_query("SELECT reference FROM feedback")
            .load::<Stored>(&mut conn)
            .expect("read feedback")
            .into_iter()
            .map(|s| s.reference)
            .collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|r| !stored.contains(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged submissions lost in the crash, e.g. {:?}",
        missing.len(),
        acknowledged.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(stored.contains(&after_reference));
    eprintln!(
        "durability: {} acknowledged before SIGKILL, {} stored, none lost",
        acknowledged.len(),
        stored.len()
    );
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}
