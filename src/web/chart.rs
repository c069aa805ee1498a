//! The calibration chart: each expert's mean difference from the panel as a bar either side of
//! zero, drawn by plotters as SVG and placed in the page. Everything is a presentation
//! attribute (`fill`, `stroke`, `font-size`), never a `style` attribute or element, so the
//! Content-Security-Policy (`style-src 'self'`) lets it through; the same numbers are in the
//! table beside it, which is what a screen reader reads.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::rubric::signed_points;

/// One bar.
pub struct Bar {
    pub label: String,
    pub mean_diff_milli: i64,
    /// Far off the panel (|z| above the round's threshold): drawn in the warning colour.
    pub flagged: bool,
    /// Too few shared dossiers for a z-score: drawn pale.
    pub thin: bool,
}

const WIDTH: u32 = 640;
const ROW: u32 = 40;
/// Large enough to read when a phone shrinks the chart to about half its width.
const FONT: u32 = 20;
/// The width kept left of the axis for names.
const NAMES: u32 = 150;

/// The chart as SVG markup, or an empty string when there is nothing to draw or drawing failed
/// (the table carries the numbers either way).
pub fn calibration(bars: &[Bar]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let mut svg = String::new();
    let drawn = draw(&mut svg, bars);
    if drawn.is_err() {
        return String::new();
    }
    // Sized by the stylesheet: the fixed width plotters writes would overflow a phone.
    svg.replacen(
        &format!("<svg width=\"{WIDTH}\" height=\"{}\"", height(bars.len())),
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\"",
        1,
    )
    .replacen(
        "xmlns=\"http://www.w3.org/2000/svg\">",
        "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">各专家总分与评议组其他专家均值之差（分）</title>",
        1,
    )
}

fn height(n: usize) -> u32 {
    ROW * n as u32 + 70
}

/// The axis reaches past the widest bar to a multiple of 5 points, and at least ±5.
fn reach(bars: &[Bar]) -> f64 {
    let widest = bars
        .iter()
        .map(|b| b.mean_diff_milli.unsigned_abs())
        .max()
        .unwrap_or(0) as f64
        / 1000.0;
    ((widest / 5.0).floor() + 1.0).max(1.0) * 5.0
}

fn draw(svg: &mut String, bars: &[Bar]) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<std::io::Error>| e.to_string();
    let root = SVGBackend::with_string(svg, (WIDTH, height(bars.len()))).into_drawing_area();
    let r = reach(bars);
    let n = bars.len() as f64;
    // Rows run top to bottom in the table's order: row i is centred at n − i − 0.5.
    let centre = |i: usize| n - i as f64 - 0.5;
    let mut chart = ChartBuilder::on(&root)
        .margin(8)
        .x_label_area_size(44)
        .y_label_area_size(NAMES)
        .build_cartesian_2d(-r..r, 0.0..n)
        .map_err(e)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .y_labels(0)
        .x_labels(5)
        .x_label_formatter(&|v| signed_points((*v * 1000.0).round() as i64))
        .x_desc("与评议组其他专家均值之差（分）")
        .label_style(("sans-serif", FONT))
        .axis_desc_style(("sans-serif", FONT))
        .draw()
        .map_err(e)?;
    let colour = |b: &Bar| {
        if b.flagged {
            RGBColor(0xd4, 0x35, 0x1c)
        } else if b.thin {
            RGBColor(0xb1, 0xb4, 0xb6)
        } else {
            RGBColor(0x1d, 0x70, 0xb8)
        }
    };
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            let x = b.mean_diff_milli as f64 / 1000.0;
            let y = centre(i);
            Rectangle::new([(0.0, y - 0.32), (x, y + 0.32)], colour(b).filled())
        }))
        .map_err(e)?;
    // Zero: the panel's mean.
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, n)],
            BLACK.stroke_width(2),
        )))
        .map_err(e)?;
    chart
        .draw_series(bars.iter().enumerate().map(|(i, b)| {
            let x = b.mean_diff_milli as f64 / 1000.0;
            // The number sits past the bar's end, on the side it points to.
            let (at, pos) = if x >= 0.0 {
                (x + r * 0.02, Pos::new(HPos::Left, VPos::Center))
            } else {
                (x - r * 0.02, Pos::new(HPos::Right, VPos::Center))
            };
            Text::new(
                signed_points(b.mean_diff_milli),
                (at, centre(i)),
                ("sans-serif", FONT).into_font().color(&BLACK).pos(pos),
            )
        }))
        .map_err(e)?;
    // Each name left of its row, in the label area.
    for (i, b) in bars.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(-r, centre(i)));
        root.draw(&Text::new(
            b.label.clone(),
            (8, y),
            ("sans-serif", FONT)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_each_number_and_no_inline_style() {
        let bars = [
            Bar {
                label: "李明".into(),
                mean_diff_milli: 12_500,
                flagged: true,
                thin: false,
            },
            Bar {
                label: "王芳 <b>&".into(),
                mean_diff_milli: -3_250,
                flagged: false,
                thin: true,
            },
        ];
        let svg = calibration(&bars);
        assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
        assert!(!svg.contains("style="), "no style attribute");
        assert!(!svg.contains("<style"), "no style element");
        assert!(
            svg.contains(">\n+12.5\n</text>") || svg.contains(">+12.5</text>"),
            "{svg}"
        );
        assert!(svg.contains("-3.25"));
        assert!(svg.contains("李明"));
        assert!(!svg.contains("<b>"), "labels are escaped: {svg}");
        assert_eq!(calibration(&[]), "");
        assert_eq!(reach(&bars), 15.0);
    }
}
