#![allow(clippy::expect_used, clippy::unwrap_used)] // helpers of tests may panic: that is a failed test
//! The bundled geodata, as the app loads it: every file parses, counts and bounds are sane,
//! and facts anyone can check on a map hold (Kabul is in Afghanistan, the Caspian is sea).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use corridor_domain::atlas::bundled::layer_from_geojson;
use corridor_domain::map::mercator::world_from_lonlat;
use corridor_domain::map::parts::{Part, visit};
use corridor_domain::{Atlas, LayerKind};

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(Atlas::load_bundled)
}

fn layer(id: &str) -> &'static corridor_domain::Layer {
    let a = atlas();
    &a.layers[a
        .layer_index(id)
        .unwrap_or_else(|| panic!("layer {id} is bundled"))]
}

fn names(id: &str) -> BTreeSet<String> {
    layer(id)
        .features
        .iter()
        .filter_map(|f| f.name().map(str::to_owned))
        .collect()
}

/// The country (ISO alpha-3) whose polygon contains a lon/lat.
fn country_at(lon: f64, lat: f64) -> Option<String> {
    let countries = layer("countries");
    let hit = countries.hit_test(world_from_lonlat(lon, lat), 0.0)?;
    countries.features[hit.feature]
        .str("iso_a3")
        .map(str::to_owned)
}

#[test]
fn every_bundled_file_loads_without_problems() {
    let a = atlas();
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.layers.len(), 15);
    for l in &a.layers {
        assert!(!l.features.is_empty(), "layer {} is empty", l.id);
    }
    assert!(a.elevation.is_some());
    assert!(a.world_elevation.is_some());
}

#[test]
fn regional_layers_stay_inside_the_clip_box() {
    for l in &atlas().layers {
        if l.id == "world_land" || world_parts().any(|w| std::ptr::eq(w, std::sync::Arc::as_ptr(l)))
        {
            continue;
        }
        for f in &l.features {
            visit(&f.geometry, &mut |part| {
                let coords: Vec<geo::Coord<f64>> = match part {
                    Part::Point(c) => vec![c],
                    Part::Line(cs) | Part::Ring(cs) => cs.to_vec(),
                };
                for c in coords {
                    assert!(
                        (39.99..=95.01).contains(&c.x) && (14.99..=60.01).contains(&c.y),
                        "{} has ({}, {}) outside lon 40–95, lat 15–60",
                        l.id,
                        c.x,
                        c.y
                    );
                }
            });
        }
    }
}

#[test]
fn countries_carry_names_and_iso_codes() {
    let countries = layer("countries");
    assert!(
        (20..=40).contains(&countries.features.len()),
        "{}",
        countries.features.len()
    );
    let mut a2 = BTreeSet::new();
    for f in &countries.features {
        let name = f.name().expect("every country has a name");
        let iso2 = f
            .str("iso_a2")
            .unwrap_or_else(|| panic!("{name} has iso_a2"));
        let iso3 = f
            .str("iso_a3")
            .unwrap_or_else(|| panic!("{name} has iso_a3"));
        assert_eq!(iso2.len(), 2, "{name}: {iso2}");
        assert_eq!(iso3.len(), 3, "{name}: {iso3}");
        a2.insert(iso2.to_owned());
    }
    for code in [
        "AF", "PK", "IR", "KZ", "UZ", "TM", "TJ", "KG", "CN", "IN", "AZ", "RU",
    ] {
        assert!(a2.contains(code), "{code} missing from {a2:?}");
    }
}

#[test]
fn places_fall_in_the_right_countries_and_the_caspian_is_sea() {
    assert_eq!(country_at(69.17, 34.53).as_deref(), Some("AFG"), "Kabul");
    assert_eq!(country_at(67.01, 24.86).as_deref(), Some("PAK"), "Karachi");
    assert_eq!(country_at(62.20, 34.35).as_deref(), Some("AFG"), "Herat");
    assert_eq!(
        country_at(66.96, 39.65).as_deref(),
        Some("UZB"),
        "Samarkand"
    );
    assert_eq!(country_at(58.38, 37.95).as_deref(), Some("TKM"), "Ashgabat");
    assert_eq!(country_at(71.45, 51.17).as_deref(), Some("KAZ"), "Astana");
    // Bandar Abbas's city centre sits on the shore line; 5 km inland is unambiguous.
    assert_eq!(
        country_at(56.30, 27.22).as_deref(),
        Some("IRN"),
        "Bandar Abbas"
    );
    assert_eq!(country_at(51.0, 42.0), None, "the middle Caspian is sea");
    assert_eq!(country_at(62.0, 18.0), None, "the Arabian Sea");
    // The land layer agrees with the countries layer.
    let land = layer("land");
    assert!(
        land.hit_test(world_from_lonlat(69.17, 34.53), 0.0)
            .is_some()
    );
    assert!(land.hit_test(world_from_lonlat(51.0, 42.0), 0.0).is_none());
}

#[test]
fn the_ports_the_corridors_end_at_are_bundled() {
    let ports: Vec<String> = names("ports").into_iter().collect();
    let has = |needle: &str| ports.iter().any(|p| p.contains(needle));
    for p in [
        "Karachi",
        "Qasim",
        "Gwadar",
        "Chabahar",
        "Bandar Abbas",
        "Aktau",
        "Kuryk",
        "Turkmenbashi",
        "Baku",
    ] {
        assert!(has(p), "port {p} missing from {ports:?}");
    }
    for f in &layer("ports").features {
        let kind = f.str("kind").unwrap_or_default();
        assert!(
            ["sea-port", "caspian-port", "dry-port", "border-station"].contains(&kind),
            "{:?} has kind {kind:?}",
            f.name()
        );
    }
}

#[test]
fn cities_include_capitals_and_the_corridor_nodes() {
    let cities = names("cities");
    for c in [
        "Kabul",
        "Islamabad",
        "Tashkent",
        "Ashgabat",
        "Astana",
        "Tehran",
        "Dushanbe",
        "Bishkek",
        "Herat",
        "Kandahar",
        "Quetta",
        "Peshawar",
        "Mazar-i-Sharif",
        "Termez",
    ] {
        assert!(cities.contains(c), "{c} missing");
    }
    let capitals = layer("cities")
        .features
        .iter()
        .filter(|f| f.bool("capital") == Some(true))
        .count();
    assert!(capitals >= 10, "{capitals} capitals");
}

#[test]
fn rail_lines_keep_status_gauge_and_source() {
    let rail = layer("rail");
    assert!(rail.features.len() >= 30);
    let mut gauges = BTreeSet::new();
    for f in &rail.features {
        let name = f.name().unwrap_or("?");
        let status = f.str("status").unwrap_or_default();
        assert!(
            ["existing", "under-construction", "proposed"].contains(&status),
            "{name}: {status}"
        );
        if let Some(g) = f.f64("gauge_mm") {
            gauges.insert(g as i64);
        }
        assert!(
            f.str("source").is_some_and(|s| !s.is_empty()),
            "{name} has no source"
        );
    }
    assert_eq!(gauges, BTreeSet::from([1435, 1520, 1676]));
    let points = layer("rail_points");
    let kinds: BTreeSet<&str> = points
        .features
        .iter()
        .filter_map(|f| f.str("kind"))
        .collect();
    for k in ["border-crossing", "gauge-break", "pass"] {
        assert!(kinds.contains(k), "{k} missing: {kinds:?}");
    }
}

#[test]
fn elevation_grid_matches_geography() {
    let dem = atlas().elevation.as_ref().expect("elevation");
    let at = |lon, lat| {
        dem.sample(lon, lat)
            .unwrap_or_else(|| panic!("{lon},{lat} in grid"))
    };
    assert!(at(85.0, 32.0) > 4000.0, "Tibetan plateau");
    assert!(at(62.0, 20.0) < -2000.0, "Arabian Sea floor");
    assert!(at(51.0, 42.0) < 0.0, "Caspian basin");
    assert!(at(67.1, 24.9).abs() < 200.0, "Karachi is near sea level");
    assert!(at(69.2, 34.5) > 1500.0, "Kabul is high");
}

#[test]
fn hit_testing_the_whole_atlas_prefers_the_city_over_the_country() {
    let a = atlas();
    let at = world_from_lonlat(69.1725, 34.5281);
    let r = a
        .hit_test(at, 1e-4, 8.0, |_| true)
        .expect("something at Kabul");
    assert_eq!(a.layers[r.layer].kind, LayerKind::Cities);
    assert_eq!(a.feature(r).and_then(|f| f.name()), Some("Kabul"));
}

#[test]
fn a_broken_layer_file_is_reported_with_file_line_and_column() {
    let text = "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[60,}}]}";
    let Err(err) = layer_from_geojson(
        LayerKind::Cities,
        "cities",
        "Cities",
        "",
        "cities.geojson",
        text,
    ) else {
        panic!("broken JSON must not load")
    };
    let msg = err.to_string();
    assert!(msg.starts_with("cities.geojson: line 2, column "), "{msg}");
}

#[test]
fn small_towns_are_hidden_and_not_hit_on_the_region_view() {
    let a = atlas();
    let cities = a.layer_index("cities").expect("cities");
    // Kabul (a capital) is drawn at every zoom; a town of ~100,000 only when zoomed in.
    let town = a.layers[cities]
        .features
        .iter()
        .enumerate()
        .find(|(_, f)| f.f64("rank") == Some(6.0) && f.bool("corridor_node") == Some(false))
        .expect("a rank-6 town");
    let geo::Geometry::Point(p) = town.1.geometry else {
        panic!("point")
    };
    let at = world_from_lonlat(p.x(), p.y());
    let only_cities = |i: usize| i == cities;
    assert_eq!(
        a.hit_test(at, 1e-6, 4.0, only_cities),
        None,
        "hidden at zoom 4"
    );
    let hit = a
        .hit_test(at, 1e-6, 8.0, only_cities)
        .expect("shown at zoom 8");
    assert_eq!(hit.feature, town.0);
}

/// The coarse world parts of the `countries`, `borders`, `lakes` and `rivers` layers (the
/// second layer with each id: the regional file comes first).
fn world_parts() -> impl Iterator<Item = &'static corridor_domain::Layer> {
    ["countries", "borders", "lakes", "rivers"]
        .into_iter()
        .filter_map(|id| {
            atlas()
                .layers
                .iter()
                .filter(|l| l.id == id)
                .nth(1)
                .map(|l| &**l)
        })
}

fn world_part(id: &str) -> &'static corridor_domain::Layer {
    atlas()
        .layers
        .iter()
        .filter(|l| l.id == id)
        .nth(1)
        .unwrap_or_else(|| panic!("{id} has a world part"))
}

/// The country (ISO alpha-3) whose polygon contains a lon/lat, in the regional part of
/// `countries` or (`world`) in its coarse world part.
fn country_in(world: bool, lon: f64, lat: f64) -> Option<String> {
    let l = if world {
        world_part("countries")
    } else {
        layer("countries")
    };
    let hit = l.hit_test(world_from_lonlat(lon, lat), 0.0)?;
    l.features[hit.feature].str("iso_a3").map(str::to_owned)
}

#[test]
fn a_country_has_one_code_on_both_sides_of_the_regional_edge() {
    // Half a degree either side of the box edge (40° E, 95° E, 60° N), places known to lie in
    // one country: the coarse world layer outside, the detailed one inside, same ISO code
    // (the tint is a function of the code, so the fill colour runs on across the edge).
    for (outside, inside, code) in [
        ((39.5, 39.0), (40.5, 39.0), "TUR"),
        ((39.5, 25.0), (40.5, 25.0), "SAU"),
        ((39.5, 55.0), (40.5, 55.0), "RUS"),
        ((95.5, 35.0), (94.5, 35.0), "CHN"),
        ((95.5, 22.0), (94.5, 22.0), "MMR"),
        ((60.0, 60.5), (60.0, 59.5), "RUS"),
    ] {
        assert_eq!(
            country_in(true, outside.0, outside.1).as_deref(),
            Some(code),
            "outside at {outside:?}"
        );
        assert_eq!(
            country_in(false, inside.0, inside.1).as_deref(),
            Some(code),
            "inside at {inside:?}"
        );
    }
    // Inside the box the world layer has nothing: nothing is tinted twice.
    assert_eq!(country_in(true, 66.0, 35.0), None);
    assert_eq!(
        country_in(true, 8.2, 46.8).as_deref(),
        Some("CHE"),
        "Switzerland"
    );
}

#[test]
fn world_layers_stay_outside_the_box_and_never_cross_the_map() {
    for id in ["countries", "borders", "lakes", "rivers", "world_land"] {
        let l = if id == "world_land" {
            layer(id)
        } else {
            world_part(id)
        };
        for f in &l.features {
            visit(&f.geometry, &mut |part| {
                let coords: Vec<geo::Coord<f64>> = match part {
                    Part::Point(c) => vec![c],
                    Part::Line(cs) | Part::Ring(cs) => cs.to_vec(),
                };
                for w in coords.windows(2) {
                    // An edge spanning half the world is an antimeridian cut gone wrong (it
                    // drew a sea-coloured band across Siberia once). Antarctica's ring runs
                    // along 84.7° S from 180° to -180° by design: that one is allowed.
                    assert!(
                        (w[0].x - w[1].x).abs() < 90.0 || w[0].y < -80.0,
                        "{id}: edge {:?} -> {:?}",
                        w[0],
                        w[1]
                    );
                }
                if id != "world_land" {
                    for c in coords {
                        let inside = (40.01..94.99).contains(&c.x) && (15.01..59.99).contains(&c.y);
                        assert!(
                            !inside,
                            "{id} has ({}, {}) inside the detailed box",
                            c.x, c.y
                        );
                    }
                }
            });
        }
    }
    // The Nile and the Danube are there (rivers do not stop at the region's edge), and Lake
    // Victoria (a world lake; lakes inside the box stay in the regional part).
    let rivers = world_part("rivers");
    for (name, lon, lat) in [
        ("Nile at Aswan", 32.9, 24.09),
        ("Danube at Budapest", 19.05, 47.5),
    ] {
        let tol = world_from_lonlat(lon, lat)[0] - world_from_lonlat(lon - 0.15, lat)[0];
        assert!(
            rivers.hit_test(world_from_lonlat(lon, lat), tol).is_some(),
            "{name}"
        );
    }
    assert!(
        world_part("lakes")
            .hit_test(world_from_lonlat(33.0, -1.0), 0.0)
            .is_some(),
        "Lake Victoria"
    );
    // Siberia and Chukotka are land (both fell into the band once).
    let land = layer("world_land");
    for (lon, lat) in [(120.0, 65.0), (-175.0, 66.5), (100.0, 70.0)] {
        assert!(
            land.hit_test(world_from_lonlat(lon, lat), 0.0).is_some(),
            "{lon}, {lat}"
        );
    }
}

#[test]
fn the_world_relief_matches_known_heights() {
    let g = atlas().world_elevation.as_ref().expect("world grid");
    // 20' block means of ETOPO5: mountains come out lower than their peaks, seas deep.
    for (name, lon, lat, lo, hi) in [
        ("Tibetan plateau", 88.0, 33.0, 4000.0, 6000.0),
        ("Pacific", -150.0, 0.0, -6000.0, -3500.0),
        ("Alps", 10.0, 46.5, 1000.0, 3500.0),
        ("Netherlands", 5.5, 52.3, -50.0, 100.0),
        ("near the antimeridian, Chukotka", 179.9, 66.0, 0.0, 1500.0),
    ] {
        let z = g.sample(lon, lat).unwrap_or(f64::NAN);
        assert!((lo..=hi).contains(&z), "{name}: {z} m");
    }
    // The detailed grid and the world grid agree on a broad plain inside the box (the steppe).
    let (d, w) = (atlas().elevation.as_ref().expect("grid"), g);
    let (zd, zw) = (
        d.sample(70.0, 48.0).unwrap_or(f64::NAN),
        w.sample(70.0, 48.0).unwrap_or(f64::NAN),
    );
    assert!((zd - zw).abs() < 150.0, "{zd} vs {zw}");
}
