//! Tiles from an XYZ tile server over HTTP(S), cached on disk.
//!
//! A blocking `ureq` agent (rustls + ring) per source, called from the pool's workers: each
//! request has a hard timeout, so a dead server costs a worker a few seconds, never a frame.
//! Bytes are decoded before they are cached, so garbage is reported and never stored.

use std::sync::Arc;
use std::time::Duration;

use egui::ColorImage;

use super::disk_cache::DiskCache;
use super::pool::{LoadError, TileLoader};
use corridor_domain::draw::basemap::TileKey;

/// Sent with every request: tile servers (OpenStreetMap's policy first) require an
/// identifying User-Agent.
pub const USER_AGENT: &str = concat!("corridor-atlas/", env!("CARGO_PKG_VERSION"));

/// Largest tile body accepted (a 512-px JPEG is ~100 KB; anything far bigger is not a tile).
const MAX_BODY_BYTES: u64 = 8 * 1024 * 1024;

/// Fill a URL template: `{z}`, `{x}`, `{y}` (XYZ) and `{-y}` (TMS rows).
#[must_use]
pub fn tile_url(template: &str, key: TileKey) -> String {
    template
        .replace("{z}", &key.zoom.to_string())
        .replace("{x}", &key.x.to_string())
        .replace("{-y}", &key.tms_y().to_string())
        .replace("{y}", &key.y.to_string())
}

/// Whether a template names the three coordinates (so it can address tiles at all).
#[must_use]
pub fn is_valid_template(template: &str) -> bool {
    let t = template.trim();
    (t.starts_with("http://") || t.starts_with("https://"))
        && t.contains("{z}")
        && t.contains("{x}")
        && (t.contains("{y}") || t.contains("{-y}"))
}

/// Decode PNG/JPEG bytes into an image.
pub fn decode(bytes: &[u8]) -> Result<ColorImage, LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Permanent("empty response".into()));
    }
    let img = image::load_from_memory(bytes)
        .map_err(|e| LoadError::Permanent(format!("not a PNG/JPEG tile ({e})")))?
        .to_rgba8();
    let size = [img.width() as usize, img.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, img.as_raw()))
}

/// An XYZ server.
pub struct HttpLoader {
    template: String,
    /// Subdirectory of the disk cache (stable per source).
    cache_ns: String,
    cache: Option<Arc<DiskCache>>,
    agent: ureq::Agent,
}

impl HttpLoader {
    /// A loader for `template`, caching under `cache_ns` in `cache`, giving up on a request
    /// after `timeout`.
    #[must_use]
    pub fn new(
        template: &str,
        cache_ns: &str,
        cache: Option<Arc<DiskCache>>,
        timeout: Duration,
    ) -> Self {
        let config = ureq::Agent::config_builder()
            .user_agent(USER_AGENT)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(5))))
            // Statuses are classified below (a 404 is final, a 503 is worth a retry).
            .http_status_as_error(false)
            .build();
        Self {
            template: template.trim().to_string(),
            cache_ns: cache_ns.to_string(),
            cache,
            agent: ureq::Agent::new_with_config(config),
        }
    }

    fn download(&self, url: &str) -> Result<Vec<u8>, LoadError> {
        let mut response = self.agent.get(url).call().map_err(|e| classify(&e))?;
        let status = response.status().as_u16();
        match status {
            200..=299 => {}
            408 | 425 | 429 | 500..=599 => {
                return Err(LoadError::Transient(format!("HTTP {status}")));
            }
            _ => return Err(LoadError::Permanent(format!("HTTP {status}"))),
        }
        response
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_vec()
            .map_err(|e| classify(&e))
    }
}

impl TileLoader for HttpLoader {
    fn load(&self, key: TileKey) -> Result<ColorImage, LoadError> {
        let rel = format!("{}/{}/{}/{}", self.cache_ns, key.zoom, key.x, key.y);
        if let Some(cache) = &self.cache
            && let Some(bytes) = cache.get(&rel)
        {
            match decode(&bytes) {
                Ok(img) => return Ok(img),
                Err(_) => cache.remove(&rel), // damaged on disk: fetch again
            }
        }
        let bytes = self.download(&tile_url(&self.template, key))?;
        let img = decode(&bytes)?;
        if let Some(cache) = &self.cache {
            // A full disk or read-only cache costs re-downloads, not the tile.
            let _ = cache.put(&rel, &bytes);
        }
        Ok(img)
    }
}

/// Short, user-facing words for a transport failure.
fn classify(e: &ureq::Error) -> LoadError {
    match e {
        ureq::Error::Timeout(_) => LoadError::Transient("timed out".into()),
        ureq::Error::HostNotFound => LoadError::Transient("host not found (offline?)".into()),
        ureq::Error::ConnectionFailed => LoadError::Transient("connection failed".into()),
        ureq::Error::Io(io) => LoadError::Transient(format!("network error: {io}")),
        ureq::Error::BodyExceedsLimit(_) => {
            LoadError::Permanent("response too large for a tile".into())
        }
        other => LoadError::Transient(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_filled_in_xyz_and_tms_order() {
        let k = TileKey {
            zoom: 3,
            x: 5,
            y: 1,
        };
        assert_eq!(
            tile_url("https://a/{z}/{x}/{y}.png", k),
            "https://a/3/5/1.png"
        );
        assert_eq!(
            tile_url("https://a/{z}/{y}/{x}.jpg", k),
            "https://a/3/1/5.jpg"
        );
        assert_eq!(
            tile_url("https://a/{z}/{x}/{-y}.png", k),
            "https://a/3/5/6.png"
        );
        assert!(is_valid_template("https://a/{z}/{x}/{y}.png"));
        assert!(!is_valid_template("https://a/{z}/{x}.png"));
        assert!(!is_valid_template("file:///{z}/{x}/{y}"));
    }

    #[test]
    fn garbage_is_not_a_tile() {
        assert!(matches!(
            decode(b"<html>oops</html>"),
            Err(LoadError::Permanent(_))
        ));
        assert!(matches!(decode(b""), Err(LoadError::Permanent(_))));
    }
}
