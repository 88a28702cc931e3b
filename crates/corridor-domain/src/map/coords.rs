//! Typed coordinates, as planners paste them: decimal `lon,lat` (`71.14, 34.10`), with
//! hemispheres in either order (`34.1N 71.14E`, `N34.1 E71.14`), and degrees–minutes–seconds
//! with any of the usual marks (`34°05′N 71°10′E`, `34°05'30"N, 71°10'E`, `34 05 N 71 10 E`).
//! Without hemisphere letters the order is lon, lat (GeoJSON's); with them, the letters decide.

/// One coordinate being read: up to three numbers (degrees, minutes, seconds) and its
/// hemisphere letter, if any.
#[derive(Default)]
struct Part {
    numbers: Vec<f64>,
    hemisphere: Option<char>,
}

impl Part {
    /// Signed decimal degrees; `None` if minutes or seconds are out of range, or a
    /// negative number is combined with S/W.
    fn degrees(&self) -> Option<f64> {
        let (d, m, s) = match self.numbers.as_slice() {
            [d] => (*d, 0.0, 0.0),
            [d, m] => (*d, *m, 0.0),
            [d, m, s] => (*d, *m, *s),
            _ => return None,
        };
        if !(0.0..60.0).contains(&m) || !(0.0..60.0).contains(&s) {
            return None;
        }
        if self.numbers.len() > 1 && d.fract().abs() > 0.0 {
            return None; // 34.5°30′ is not a coordinate
        }
        let magnitude = d.abs() + m / 60.0 + s / 3600.0;
        let negative = d.is_sign_negative();
        match self.hemisphere {
            Some('S' | 'W') if negative => None,
            Some('S' | 'W') => Some(-magnitude),
            _ if negative => Some(-magnitude),
            _ => Some(magnitude),
        }
    }
}

/// Read a typed coordinate as (lon, lat) in degrees, or `None` if the text is not one (a
/// place name, a latitude beyond ±90°, a longitude beyond ±180°, minutes ≥ 60 …).
#[must_use]
pub fn parse_coordinate(text: &str) -> Option<(f64, f64)> {
    let mut parts: Vec<Part> = vec![Part::default()];
    // Hemisphere letters before the numbers (`N34 E71`) or after them (`34N 71E`): decided
    // by whether the text starts with a letter.
    let trimmed = text.trim();
    let leading = trimmed.starts_with(|c: char| "NSEWnsew".contains(c));
    let mut chars = trimmed.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '0'..='9' | '.' | '-' | '+' | '−' => {
                let mut number = String::from(if c == '−' { '-' } else { c });
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_digit() || n == '.' {
                        number.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                let value: f64 = number.parse().ok()?;
                let part = parts.last_mut()?;
                if part.numbers.len() == 3 || (!leading && part.hemisphere.is_some()) {
                    parts.push(Part::default());
                }
                parts.last_mut()?.numbers.push(value);
            }
            'N' | 'S' | 'E' | 'W' | 'n' | 's' | 'e' | 'w' => {
                let h = c.to_ascii_uppercase();
                let part = parts.last_mut()?;
                if leading && !part.numbers.is_empty() {
                    parts.push(Part {
                        numbers: Vec::new(),
                        hemisphere: Some(h),
                    });
                } else if part.hemisphere.is_some() {
                    return None;
                } else {
                    part.hemisphere = Some(h);
                }
            }
            ',' | ';' => {
                if parts.last().is_some_and(|p| !p.numbers.is_empty()) {
                    parts.push(Part::default());
                }
            }
            // Degree, minute and second marks in their ASCII and typographic forms.
            '°' | 'º' | '\'' | '"' | '′' | '″' | '’' | '”' | '‘' | '“' | '˚' => {}
            c if c.is_whitespace() => {}
            _ => return None,
        }
    }
    parts.retain(|p| !p.numbers.is_empty() || p.hemisphere.is_some());
    // Without letters and commas, "71 34" is two plain numbers: one each.
    if parts.len() == 1 && parts[0].hemisphere.is_none() && parts[0].numbers.len() == 2 {
        let n = std::mem::take(&mut parts[0].numbers);
        parts = n
            .into_iter()
            .map(|v| Part {
                numbers: vec![v],
                hemisphere: None,
            })
            .collect();
    }
    let [a, b] = parts.as_slice() else {
        return None;
    };
    let (lon, lat) = match (a.hemisphere, b.hemisphere) {
        // No letters: lon, lat as written (GeoJSON's order); or longitude first by letter.
        (None, None) | (Some('E' | 'W'), Some('N' | 'S')) => (a.degrees()?, b.degrees()?),
        (Some('N' | 'S'), Some('E' | 'W')) => (b.degrees()?, a.degrees()?),
        _ => return None,
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::parse_coordinate;

    fn close(got: Option<(f64, f64)>, lon: f64, lat: f64) -> bool {
        got.is_some_and(|(x, y)| (x - lon).abs() < 1e-9 && (y - lat).abs() < 1e-9)
    }

    #[test]
    fn decimal_lon_lat_in_geojson_order() {
        assert!(close(parse_coordinate("71.14, 34.10"), 71.14, 34.10));
        assert!(close(parse_coordinate("71.14,34.10"), 71.14, 34.10));
        assert!(close(parse_coordinate(" 71.14 34.1 "), 71.14, 34.1));
        assert!(close(parse_coordinate("-0.5, -33"), -0.5, -33.0));
    }

    #[test]
    fn hemisphere_letters_decide_which_is_which() {
        assert!(close(parse_coordinate("34.1N 71.14E"), 71.14, 34.1));
        assert!(close(parse_coordinate("71.14E, 34.1N"), 71.14, 34.1));
        assert!(close(parse_coordinate("N34.1 E71.14"), 71.14, 34.1));
        assert!(close(parse_coordinate("34.1 S 18.5 W"), -18.5, -34.1));
    }

    #[test]
    fn degrees_minutes_seconds_with_typographic_or_ascii_marks() {
        // 34°05′ = 34 + 5/60 = 34.083333…; 71°10′ = 71.166666…
        assert!(close(
            parse_coordinate("34°05′N 71°10′E"),
            71.0 + 10.0 / 60.0,
            34.0 + 5.0 / 60.0
        ));
        // 34°05'30" = 34 + 5/60 + 30/3600 = 34.091666…
        assert!(close(
            parse_coordinate("34°05'30\"N, 71°10'E"),
            71.0 + 10.0 / 60.0,
            34.0 + 5.0 / 60.0 + 30.0 / 3600.0
        ));
        assert!(close(
            parse_coordinate("34°05′30″N 71°10′15″E"),
            71.0 + 10.0 / 60.0 + 15.0 / 3600.0,
            34.0 + 5.0 / 60.0 + 30.0 / 3600.0
        ));
        assert!(close(
            parse_coordinate("34 05 N 71 10 E"),
            71.0 + 10.0 / 60.0,
            34.0 + 5.0 / 60.0
        ));
        assert!(close(
            parse_coordinate("33°30′S 70°40′W"),
            -(70.0 + 40.0 / 60.0),
            -33.5
        ));
    }

    #[test]
    fn names_and_impossible_values_are_not_coordinates() {
        for text in [
            "Khyber",
            "Kabul 34",
            "",
            "71.14",
            "1, 2, 3",
            "200, 10",
            "10, 95",
            "34°65′N 71°10′E",
            "34N 71N",
            "34.5°30′N 71E",
            "-34S 71E",
            "1.2.3, 4",
        ] {
            assert_eq!(parse_coordinate(text), None, "{text:?}");
        }
    }
}
