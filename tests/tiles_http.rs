//! Online tile sources against a local HTTP server on 127.0.0.1 (spawned here with
//! `std::net::TcpListener`): good tiles are shown and cached on disk, failures (404, 503,
//! timeouts, garbage) are reported once in the status, and nothing ever blocks the caller.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use corridor_atlas::app::tiles::{BasemapOptions, BasemapSettings, Basemaps, SourceKind};
use corridor_domain::draw::basemap::TileKey;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// What the server saw.
#[derive(Default)]
struct Log {
    requests: AtomicUsize,
    user_agents: Mutex<Vec<String>>,
    stop: AtomicBool,
}

/// A tiny tile server. Routes: `/good/…` a PNG, `/missing/…` 404, `/error/…` 503,
/// `/slow/…` a PNG after 3 s, `/garbage/…` bytes that are no image. It accepts at most 300
/// connections and stops by itself after 60 s (or when the test sets `stop`).
fn serve() -> Result<(String, Arc<Log>), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let base = format!("http://{}", listener.local_addr()?);
    let log = Arc::new(Log::default());
    let png = png_tile([200, 30, 30, 255])?;
    let server_log = Arc::clone(&log);
    thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_mins(1);
        let mut accepted = 0;
        while Instant::now() < deadline && accepted < 300 && !server_log.stop.load(Ordering::SeqCst)
        {
            match listener.accept() {
                Ok((stream, _)) => {
                    accepted += 1;
                    let (log, png) = (Arc::clone(&server_log), png.clone());
                    thread::spawn(move || {
                        let _ = handle(stream, &log, &png);
                    });
                }
                Err(_) => thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    Ok((base, log))
}

fn handle(stream: TcpStream, log: &Log, png: &[u8]) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        if let Some(ua) = line.to_ascii_lowercase().strip_prefix("user-agent:")
            && let Ok(mut uas) = log.user_agents.lock()
        {
            uas.push(ua.trim().to_string());
        }
    }
    log.requests.fetch_add(1, Ordering::SeqCst);
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let (status, body): (&str, Vec<u8>) = if path.starts_with("/good/") {
        ("200 OK", png.to_vec())
    } else if path.starts_with("/slow/") {
        thread::sleep(Duration::from_secs(3));
        ("200 OK", png.to_vec())
    } else if path.starts_with("/garbage/") {
        ("200 OK", b"<html>this is not a tile</html>".to_vec())
    } else if path.starts_with("/error/") {
        ("503 Service Unavailable", Vec::new())
    } else {
        ("404 Not Found", Vec::new())
    };
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    let _ = out.write_all(&body); // the client may have timed out and gone
    out.flush()
}

fn png_tile(rgba: [u8; 4]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut p = tiny_skia::Pixmap::new(256, 256).ok_or("pixmap")?;
    p.fill(tiny_skia::Color::from_rgba8(
        rgba[0], rgba[1], rgba[2], rgba[3],
    ));
    Ok(p.encode_png()?)
}

fn basemaps(url: &str, cache: &std::path::Path) -> Basemaps {
    let settings = BasemapSettings {
        source: SourceKind::CustomXyz,
        custom_url: url.to_string(),
        custom_attribution: "© Test tiles".into(),
        ..BasemapSettings::default()
    };
    let options = BasemapOptions {
        cache_root: Some(cache.to_path_buf()),
        http_timeout: Duration::from_millis(700),
        render_workers: 2,
    };
    Basemaps::with_options(&egui::Context::default(), settings, options)
}

const KEY: TileKey = TileKey {
    zoom: 5,
    x: 22,
    y: 13,
};

/// Ask for `key` every 10 ms until it is there or `timeout` passes. Also checks that no
/// single call blocks (the UI calls this once per frame per tile).
fn wait_for_tile(b: &mut Basemaps, key: TileKey, timeout: Duration) -> Result<bool, String> {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        b.update();
        let overlay = b.overlay_mut().ok_or("no overlay layer")?;
        let t = Instant::now();
        let ready = overlay.piece(key).is_some() && overlay.is_ready(key);
        let took = t.elapsed();
        if took > Duration::from_millis(50) {
            return Err(format!("piece() blocked for {took:?}"));
        }
        if ready {
            return Ok(true);
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(false)
}

/// Collect status messages for `during`.
fn statuses(b: &mut Basemaps, keys: &[TileKey], during: Duration) -> Result<Vec<String>, String> {
    let end = Instant::now() + during;
    let mut out = Vec::new();
    while Instant::now() < end {
        b.update();
        let overlay = b.overlay_mut().ok_or("no overlay layer")?;
        for k in keys {
            let t = Instant::now();
            let _ = overlay.piece(*k);
            if t.elapsed() > Duration::from_millis(50) {
                return Err(format!("piece() blocked for {:?}", t.elapsed()));
            }
        }
        while let Some(s) = b.take_status() {
            out.push(s);
        }
        thread::sleep(Duration::from_millis(10));
    }
    Ok(out)
}

fn keys(n: u32) -> Vec<TileKey> {
    (0..n)
        .map(|i| TileKey {
            zoom: 5,
            x: 20 + i,
            y: 13,
        })
        .collect()
}

#[test]
fn good_tiles_arrive_are_cached_on_disk_and_served_from_it_next_time() -> TestResult {
    let (base, log) = serve()?;
    let cache = tempfile::tempdir()?;
    let url = format!("{base}/good/{{z}}/{{x}}/{{y}}.png");
    let mut b = basemaps(&url, cache.path());
    assert!(
        wait_for_tile(&mut b, KEY, Duration::from_secs(10))?,
        "tile never arrived"
    );
    // Credited once its tiles show (see the test below for before).
    assert_eq!(b.attribution(), "© Test tiles");
    assert_eq!(log.requests.load(Ordering::SeqCst), 1);
    let uas = log.user_agents.lock().map_err(|e| e.to_string())?.clone();
    assert_eq!(
        uas,
        vec![format!("corridor-atlas/{}", env!("CARGO_PKG_VERSION"))]
    );
    let disk = b.disk_cache().ok_or("disk cache")?;
    assert!(disk.total_bytes() > 0, "the tile was written to disk");
    assert!(b.take_status().is_none(), "no failure to report");

    // A fresh start (new process, same cache dir) takes the tile from disk, not the server.
    drop(b);
    let mut again = basemaps(&url, cache.path());
    assert!(wait_for_tile(&mut again, KEY, Duration::from_secs(10))?);
    assert_eq!(
        log.requests.load(Ordering::SeqCst),
        1,
        "served from the disk cache"
    );
    log.stop.store(true, Ordering::SeqCst);
    Ok(())
}

#[test]
fn a_404_is_reported_once_however_many_tiles_fail() -> TestResult {
    let (base, log) = serve()?;
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(
        &format!("{base}/missing/{{z}}/{{x}}/{{y}}.png"),
        cache.path(),
    );
    let msgs = statuses(&mut b, &keys(6), Duration::from_secs(2))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].starts_with("Custom XYZ: tile 5/"), "{}", msgs[0]);
    assert!(msgs[0].ends_with("failed: HTTP 404"), "{}", msgs[0]);
    // Permanent failures are not asked for again.
    assert_eq!(log.requests.load(Ordering::SeqCst), 6);
    log.stop.store(true, Ordering::SeqCst);
    Ok(())
}

#[test]
fn server_errors_and_garbage_are_reported_and_never_cached() -> TestResult {
    let (base, log) = serve()?;
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(&format!("{base}/error/{{z}}/{{x}}/{{y}}.png"), cache.path());
    let msgs = statuses(&mut b, &keys(3), Duration::from_secs(2))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].ends_with("failed: HTTP 503"), "{msgs:?}");
    // Transient failures are retried later (20 s), not on every frame.
    assert_eq!(log.requests.load(Ordering::SeqCst), 3);

    let mut g = basemaps(
        &format!("{base}/garbage/{{z}}/{{x}}/{{y}}.png"),
        cache.path(),
    );
    let msgs = statuses(&mut g, &keys(3), Duration::from_secs(2))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("not a PNG/JPEG tile"), "{msgs:?}");
    assert!(g.overlay_mut().is_some_and(|o| !o.is_ready(KEY)));
    assert_eq!(
        g.disk_cache().map(|d| d.total_bytes()),
        Some(0),
        "garbage not stored"
    );
    log.stop.store(true, Ordering::SeqCst);
    Ok(())
}

#[test]
fn a_slow_server_times_out_without_blocking_a_frame() -> TestResult {
    let (base, log) = serve()?;
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(&format!("{base}/slow/{{z}}/{{x}}/{{y}}.png"), cache.path());
    // statuses() fails if any call takes over 50 ms while the server sits on the requests.
    let msgs = statuses(&mut b, &keys(2), Duration::from_millis(2500))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].ends_with("failed: timed out"), "{msgs:?}");
    log.stop.store(true, Ordering::SeqCst);
    Ok(())
}

#[test]
fn an_unreachable_server_is_reported_and_the_embedded_layer_still_renders() -> TestResult {
    // Bind a port, then close it: connections are refused.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(
        &format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
        cache.path(),
    );
    b.set_atlas(Arc::new(corridor_domain::Atlas::default()));
    b.wait_for_renderer();
    let msgs = statuses(&mut b, &keys(3), Duration::from_secs(2))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].contains("connection failed") || msgs[0].contains("network error"),
        "{msgs:?}"
    );
    // The embedded basemap underneath does not care.
    let end = Instant::now() + Duration::from_secs(10);
    let mut ok = false;
    while Instant::now() < end && !ok {
        b.update();
        let e = b.embedded_mut();
        ok = e.piece(KEY).is_some() && e.is_ready(KEY);
        thread::sleep(Duration::from_millis(10));
    }
    assert!(ok, "embedded tile never arrived");
    Ok(())
}

#[test]
fn a_failing_source_is_marked_not_credited_and_forgotten_when_the_source_changes() -> TestResult {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(
        &format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
        cache.path(),
    );
    assert!(b.failing().is_none(), "nothing asked yet");
    let generation = b.source_generation();
    let msgs = statuses(&mut b, &keys(2), Duration::from_secs(2))?;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(b.failing().is_some(), "the menu marks the source");
    assert_eq!(
        b.attribution(),
        "",
        "no tile shows: the source is not credited"
    );
    // Back to the embedded basemap: no failure, a new generation for the app to clear its
    // message by.
    let mut settings = b.settings();
    settings.source = SourceKind::Embedded;
    b.set_settings(settings);
    assert!(b.failing().is_none());
    assert_ne!(b.source_generation(), generation);
    assert!(b.take_status().is_none(), "no stale message queued");
    Ok(())
}

#[test]
fn a_working_source_is_credited_once_its_tiles_show() -> TestResult {
    let (base, _log) = serve()?;
    let cache = tempfile::tempdir()?;
    let mut b = basemaps(&format!("{base}/good/{{z}}/{{x}}/{{y}}.png"), cache.path());
    assert_eq!(b.attribution(), "", "nothing shown yet");
    assert!(wait_for_tile(&mut b, KEY, Duration::from_secs(5))?);
    assert_eq!(b.attribution(), "© Test tiles");
    assert!(b.failing().is_none());
    Ok(())
}
