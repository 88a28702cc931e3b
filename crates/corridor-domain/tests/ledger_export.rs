//! The comparison table in its three formats.
#![allow(clippy::expect_used, clippy::unwrap_used)] // Tests: a failed expectation is the message.

use corridor_domain::measure::ledger::{
    CountryLength, Ledger, PublishedColumns, comparison_table, to_csv, to_json, to_markdown,
};

/// 647 km (TASS, Jul 2025) and $8.2 bn (Pakistan Ministry of Railways, Dec 2024): against the
/// ledger's 647 km and $4.6 bn the ratios are 1.00 and 4.6 / 8.2 = 0.56. The journey time:
/// "3–5 days" (TASS/Gazeta.uz, Jul 2025), 72–120 h.
fn published() -> PublishedColumns {
    PublishedColumns {
        km: Some(647.0),
        cost_usd: Some(8.2e9),
        year: Some(2024),
        source: Some("Pakistan MoR Dec 2024".to_owned()),
        basis: None,
        time_h: Some([72.0, 120.0]),
        time_source: Some("TASS Jul 2025; door to door".to_owned()),
    }
}

fn none() -> PublishedColumns {
    PublishedColumns::default()
}

fn ledger() -> Ledger {
    let mut l = Ledger {
        length_m: 647_000.0,
        existing_m: 75_000.0,
        new_m: 572_000.0,
        borders_crossed: 2,
        ..Ledger::default()
    };
    l.countries = vec![
        CountryLength {
            iso_a3: "UZB".into(),
            iso_a2: "UZ".into(),
            name: "Uzbekistan".into(),
            length_m: 10_000.0,
        },
        CountryLength {
            iso_a3: "AFG".into(),
            iso_a2: "AF".into(),
            name: "Afghanistan".into(),
            length_m: 637_000.0,
        },
    ];
    l.cost.total_usd = 4.6e9;
    l.cost.low_usd = 3.8e9;
    l.cost.high_usd = 6.3e9;
    l.travel.total_h = 12.25;
    l.profile.steepest_grade_1km_pct = 3.456;
    l
}

#[test]
fn rows_carry_the_headline_figures_in_km_and_millions() {
    let rows = comparison_table(&[("UAP, \"Kabul\"".to_owned(), ledger(), published())]);
    let r = &rows[0];
    assert!((r.km - 647.0).abs() < 1e-9);
    assert!((r.existing_km - 75.0).abs() < 1e-9);
    assert_eq!(r.countries, "UZB 10.0; AFG 637.0");
    assert_eq!(r.crossings, 2);
    assert!((r.cost_musd - 4600.0).abs() < 1e-9);
    assert_eq!(r.published_km, Some(647.0));
    assert_eq!(r.published_cost_usd, Some(8.2e9));
    assert!((r.km_ratio.unwrap() - 1.0).abs() < 1e-12);
    assert!((r.cost_ratio.unwrap() - 4.6 / 8.2).abs() < 1e-12);
}

#[test]
fn csv_quotes_names_with_commas_and_quotes() {
    let rows = comparison_table(&[
        ("UAP, \"Kabul\"".to_owned(), ledger(), published()),
        ("Plain".to_owned(), ledger(), none()),
    ]);
    let csv = to_csv(&rows);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "name,km,existing_km,new_km,countries,crossings,gauge_breaks,max_grade_pct,cost_musd,cost_low_usd,\
         cost_high_usd,time_h,published_km,published_cost_usd,published_year,published_source,\
         published_basis,km_ratio,cost_ratio,tunnel_km,tunnels,bridge_km,curves_below_min,published_time_h,\
         published_time_source"
    );
    assert_eq!(
        lines[1],
        "\"UAP, \"\"Kabul\"\"\",647.000,75.000,572.000,UZB 10.0; AFG 637.0,2,0,3.46,4600.0,3800000000,\
         6300000000,12.2,647,8200000000,2024,Pakistan MoR Dec 2024,,1.00,0.56,,,,,72–120,\
         TASS Jul 2025; door to door"
    );
    assert!(lines[2].ends_with(",12.2,,,,,,,,,,,,,"), "{}", lines[2]);
}

#[test]
fn json_and_markdown_have_one_entry_per_alternative() {
    let rows = comparison_table(&[("A|B".to_owned(), ledger(), none())]);
    let json: serde_json::Value =
        serde_json::from_str(&to_json(&rows).expect("serialisable")).expect("valid JSON");
    assert_eq!(json[0]["name"], "A|B");
    assert_eq!(json[0]["published_km"], serde_json::Value::Null);
    assert_eq!(json[0]["km_ratio"], serde_json::Value::Null);
    let md = to_markdown(&rows);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("| --- | ---: |"));
    assert!(
        lines[2].starts_with("| A\\|B | 647.0 | 75.0 |"),
        "{}",
        lines[2]
    );
}

/// RFC 4180 §2: a field holding a comma, a double quote or a line break is enclosed in double
/// quotes, an inner quote is doubled, and records end with CRLF (expected text by hand).
#[test]
fn csv_quotes_commas_quotes_and_line_breaks_per_rfc_4180() {
    let rows = comparison_table(&[("Line \"A\",\r\nnorth".to_owned(), ledger(), none())]);
    let mut row = rows[0].clone();
    row.countries = "UZB 10.0\nAFG 637.0".to_owned();
    assert_eq!(
        to_csv(&[row]),
        "name,km,existing_km,new_km,countries,crossings,gauge_breaks,max_grade_pct,cost_musd,cost_low_usd,\
         cost_high_usd,time_h,published_km,published_cost_usd,published_year,published_source,\
         published_basis,km_ratio,cost_ratio,tunnel_km,tunnels,bridge_km,curves_below_min,published_time_h,\
         published_time_source\r\n\
         \"Line \"\"A\"\",\r\nnorth\",647.000,75.000,572.000,\"UZB 10.0\nAFG 637.0\",2,0,3.46,4600.0,3800000000,6300000000,12.2,,,,,,,,,,,,,\r\n"
    );
}

/// A line break in a name would end the Markdown row and a pipe would start a new cell: the
/// row stays one line of 25 cells (expected text by hand; the ratios: 647 / 647 km = 1.00,
/// $4,600 m / $8,200 m = 0.56).
#[test]
fn markdown_rows_survive_line_breaks_and_pipes_in_names() {
    let rows = comparison_table(&[(
        "North|South\r\nvariant\nB".to_owned(),
        ledger(),
        published(),
    )]);
    let md = to_markdown(&rows);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines.len(), 3, "{md}");
    assert_eq!(
        lines[2],
        "| North\\|South<br>variant<br>B | 647.0 | 75.0 | 572.0 | UZB 10.0; AFG 637.0 | 2 | 0 | 3.46 | 4600.0 | 3800000000 | 6300000000 | 12.2 | 647 | 8200000000 | 2024 | Pakistan MoR Dec 2024 |  | 1.00 | 0.56 |  |  |  |  | 72–120 | TASS Jul 2025; door to door |"
    );
}

/// The engineering columns come from the ledger's design line (the structures to build, as the
/// cost counts them) and curves, the one time column from its travel time, the train run (the
/// figures set by hand here), to the metre in CSV.
#[test]
fn engineering_columns_carry_tunnels_bridges_curves_and_the_train_time() {
    use corridor_domain::measure::ledger::{DesignLine, Engineering, Structure, StructureKind};
    let mut l = ledger();
    l.engineering = Some(Engineering {
        curves_below_min: 3,
        design: Some(DesignLine {
            tunnel_m: 5_500.0,
            bridge_m: 1_234.0,
            structures: vec![Structure {
                kind: StructureKind::Tunnel,
                start_m: 0.0,
                end_m: 5_500.0,
                length_m: 5_500.0,
                max_depth_m: 80.0,
            }],
            ..DesignLine::default()
        }),
        ..Engineering::default()
    });
    // The structures to build, as the cost counts them (on new build): here all of them.
    l.cost.quantities.tunnel_km = 5.5;
    l.cost.quantities.tunnels = 1;
    l.cost.quantities.bridge_km = 1.234;
    l.travel.total_h = 20.54;
    let rows = comparison_table(&[("E".to_owned(), l, none())]);
    assert_eq!(rows[0].tunnel_km, Some(5.5));
    assert_eq!(rows[0].curves_below_min, Some(3));
    let csv = to_csv(&rows);
    let line = csv.split("\r\n").nth(1).expect("a row");
    assert_eq!(rows[0].tunnels, Some(1));
    assert!(line.ends_with(",5.500,1,1.234,3,,"), "{line}");
    assert_eq!(line.split(',').nth(11), Some("20.5"), "{line}");
    assert!((rows[0].time_h - 20.54).abs() < 1e-12);
}
