//! A contract's fulfilment as an SVG chart, by a pure function: per month the quantity due
//! (scheduled, with confirmed add-on stacked on it) beside what was shipped and delivered, and
//! the tolerance band drawn as a bracket around the quantity due. Integer arithmetic on grams.

use std::fmt::Write;

use super::charts::{
    esc, kg, labelled, legend, HEIGHT, PLOT_HEIGHT, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, WIDTH,
};

/// One contract month, in grams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FulfilmentMonth {
    /// `2027-03`.
    pub period: String,
    pub scheduled: i64,
    pub addon: i64,
    pub shipped: i64,
    pub delivered: i64,
}

/// The band around `due`, as the fulfilment status reads it, widened for drawing.
fn band(due: i64, tolerance_milli_pct: i64) -> (i128, i128) {
    let (low, high) = crate::domain::fulfilment::band(due, tolerance_milli_pct);
    (i128::from(low), i128::from(high))
}

/// Due (scheduled + add-on, stacked) and shipped and delivered bars per month, with the
/// tolerance band as a bracket from its low to its high end.
pub fn fulfilment_chart(
    title: &str,
    months: &[FulfilmentMonth],
    tolerance_milli_pct: i64,
) -> String {
    let n = i128::try_from(months.len().max(1)).unwrap_or(1);
    let due = |m: &FulfilmentMonth| m.scheduled.saturating_add(m.addon);
    let top = months
        .iter()
        .map(|m| {
            band(due(m), tolerance_milli_pct)
                .1
                .max(i128::from(m.shipped))
                .max(i128::from(m.delivered))
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let y = |v: i128| PLOT_TOP + (top - v) * PLOT_HEIGHT / top;
    let plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT;
    let slot = plot_width / n;
    let x0 = |i: i128| PLOT_LEFT + i * slot;
    let bar = (slot * 2 / 10).max(2);
    let bottom = PLOT_TOP + PLOT_HEIGHT;

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="fulfilment-title fulfilment-desc" class="chart">"#
    );
    let _ = write!(
        s,
        r#"<title id="fulfilment-title">{}</title><desc id="fulfilment-desc">Quantity due, shipped and delivered in kg per month, {} months, with the tolerance band of each month.</desc>"#,
        esc(title),
        months.len()
    );
    let _ = write!(
        s,
        r#"<text x="{PLOT_LEFT}" y="22" class="chart-title">{}</text>"#,
        esc(title)
    );
    let _ = write!(
        s,
        r#"<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" y2="{bottom}" class="axis"/><line x1="{PLOT_LEFT}" y1="{bottom}" x2="{}" y2="{bottom}" class="axis"/>"#,
        WIDTH - PLOT_RIGHT
    );
    for v in [0, top / 2, top] {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>"#,
            PLOT_LEFT - 6,
            y(v) + 4,
            kg(i64::try_from(v).unwrap_or(0))
        );
    }
    let _ = write!(
        s,
        r#"<text x="14" y="{0}" class="axis-label" transform="rotate(-90 14 {0})">kg</text><text x="{1}" y="{2}" class="axis-label" text-anchor="middle">Month</text>"#,
        PLOT_TOP + PLOT_HEIGHT / 2,
        PLOT_LEFT + plot_width / 2,
        bottom + 36
    );
    for (i, m) in months.iter().enumerate() {
        let i = i128::try_from(i).unwrap_or(0);
        let centre = x0(i) + slot / 2;
        let p = esc(&m.period);
        if labelled(usize::try_from(i).unwrap_or(0), months.len()) {
            let _ = write!(
                s,
                r#"<text x="{centre}" y="{}" class="tick" text-anchor="middle">{p}</text>"#,
                bottom + 16
            );
        }
        // Due: scheduled with add-on stacked on it, left.
        let left = centre - bar * 3 / 2 - 2;
        let scheduled = i128::from(m.scheduled);
        let _ = write!(
            s,
            r#"<rect x="{left}" y="{}" width="{bar}" height="{}" class="contract"><title>{p} scheduled {} kg</title></rect>"#,
            y(scheduled),
            bottom - y(scheduled),
            kg(m.scheduled)
        );
        if m.addon > 0 {
            let addon = i128::from(m.addon);
            let _ = write!(
                s,
                r#"<rect x="{left}" y="{}" width="{bar}" height="{}" class="addon"><title>{p} add-on {} kg</title></rect>"#,
                y(scheduled + addon),
                y(scheduled) - y(scheduled + addon),
                kg(m.addon)
            );
        }
        // Shipped, middle; delivered, right.
        for (value, offset, class, name) in [
            (m.shipped, -bar / 2, "shipped", "shipped"),
            (m.delivered, bar / 2 + 2, "delivered", "delivered"),
        ] {
            let v = i128::from(value);
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{bar}" height="{}" class="{class}"><title>{p} {name} {} kg</title></rect>"#,
                centre + offset,
                y(v),
                bottom - y(v),
                kg(value)
            );
        }
        // The tolerance band: a bracket from its low to its high end across the month.
        let (low, high) = band(due(m), tolerance_milli_pct);
        let (bx1, bx2) = (left - 4, centre + bar * 3 / 2 + 6);
        let _ = write!(
            s,
            r#"<path d="M{bx1} {0} H{bx2} M{bx1} {1} H{bx2} M{bx1} {0} V{1}" class="band"><title>{p} tolerance band {2} to {3} kg</title></path>"#,
            y(low),
            y(high),
            kg(i64::try_from(low).unwrap_or(0)),
            kg(i64::try_from(high).unwrap_or(0))
        );
    }
    let entries = [
        ("contract", "Scheduled"),
        ("addon", "Add-on"),
        ("shipped", "Shipped"),
        ("delivered", "Delivered"),
        ("band", "Tolerance band"),
    ];
    legend(&mut s, &entries, 4, 160);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<FulfilmentMonth> {
        vec![
            FulfilmentMonth {
                period: "2027-01".into(),
                scheduled: 10_000_000,
                addon: 2_000_000,
                shipped: 12_000_000,
                delivered: 9_000_000,
            },
            FulfilmentMonth {
                period: "2027-02".into(),
                scheduled: 10_000_000,
                addon: 0,
                shipped: 4_000_000,
                delivered: 0,
            },
        ]
    }

    /// As committed in `snapshots/`; accept a deliberate change with
    /// `NDPR_UPDATE_SNAPSHOTS=1 cargo test --lib fulfilment_chart`.
    #[test]
    fn the_fulfilment_chart_matches_its_snapshot() {
        let svg = fulfilment_chart("CT-1: fulfilment", &sample(), 5_000);
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/snapshots/fulfilment_chart.svg"
        );
        if std::env::var_os("NDPR_UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &svg).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(svg, std::fs::read_to_string(path).unwrap_or_default());
    }

    #[test]
    fn the_band_is_the_tolerance_around_the_quantity_due_and_is_labelled() {
        assert_eq!(band(12_000_000, 5_000), (11_400_000, 12_600_000));
        assert_eq!(band(1_000, 0), (1_000, 1_000));
        let svg = fulfilment_chart("<CT>", &sample(), 5_000);
        assert!(svg.contains("<title>2027-01 tolerance band 11,400.000 to 12,600.000 kg</title>"));
        assert!(svg.contains("<title>2027-01 add-on 2,000.000 kg</title>"));
        assert!(svg.contains(">kg</text>") && svg.contains(">Month</text>"));
        assert!(svg.contains(">Tolerance band</text>") && svg.contains(">Delivered</text>"));
        assert!(svg.contains("&lt;CT&gt;"));
        assert!(fulfilment_chart("none", &[], 0).ends_with("</svg>"));
    }
}
