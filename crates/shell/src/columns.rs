//! GNU `ls`'s column layout (`ls -C`): as many columns as fit the terminal,
//! filled top to bottom, each as wide as its longest name plus two spaces.

use unicode_width::UnicodeWidthStr;

/// An item to lay out: the text to print (may hold colour escapes) and its width on screen.
pub struct Cell {
    pub text: String,
    pub width: usize,
}

impl Cell {
    pub fn plain(text: &str) -> Cell {
        Cell {
            text: text.to_owned(),
            width: text.width(),
        }
    }
}

/// Lays `cells` out in columns for a line of `line_width` characters.
pub fn layout(cells: &[Cell], line_width: usize) -> String {
    if cells.is_empty() {
        return String::new();
    }
    let cols = column_count(cells, line_width.max(1));
    let rows = cells.len().div_ceil(cols);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            (c * rows..((c + 1) * rows).min(cells.len()))
                .map(|i| cells[i].width + 2)
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in 0..rows {
        for (c, width) in widths.iter().enumerate() {
            let i = c * rows + r;
            let Some(cell) = cells.get(i) else { break };
            out.push_str(&cell.text);
            let is_last = c + 1 == cols || i + rows >= cells.len();
            if !is_last {
                out.extend(std::iter::repeat_n(' ', width - cell.width));
            }
        }
        out.push('\n');
    }
    out
}

/// GNU's rule: the most columns whose total width, two spaces after every
/// column but the last, stays below the line width.
fn column_count(cells: &[Cell], line_width: usize) -> usize {
    let max_cols = (line_width / 3).clamp(1, cells.len());
    for cols in (1..=max_cols).rev() {
        let rows = cells.len().div_ceil(cols);
        let mut total = 0;
        for c in 0..cols {
            let start = c * rows;
            if start >= cells.len() {
                break;
            }
            let widest = (start..((c + 1) * rows).min(cells.len()))
                .map(|i| cells[i].width)
                .max()
                .unwrap_or(0);
            let is_last = c + 1 == cols;
            total += widest + if is_last { 0 } else { 2 };
        }
        if total < line_width {
            return cols;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(names: &[&str]) -> Vec<Cell> {
        names.iter().map(|n| Cell::plain(n)).collect()
    }

    #[test]
    fn lays_out_the_0_8_0_bin_directory_as_gnu_ls_at_80_columns() {
        let names = [
            "kafka-add-partitions.sh",
            "kafka-console-consumer.sh",
            "kafka-console-producer.sh",
            "kafka-consumer-perf-test.sh",
            "kafka-create-topic.sh",
            "kafka-list-topic.sh",
            "kafka-preferred-replica-election.sh",
            "kafka-producer-perf-test.sh",
            "kafka-reassign-partitions.sh",
            "kafka-replay-log-producer.sh",
            "kafka-run-class.sh",
            "kafka-server-start.sh",
            "kafka-server-stop.sh",
            "kafka-simple-consumer-perf-test.sh",
            "kafka-simple-consumer-shell.sh",
            "run-rat.sh",
            "windows",
            "zookeeper-server-start.sh",
            "zookeeper-server-stop.sh",
            "zookeeper-shell.sh",
        ];
        let text = layout(&cells(&names), 80);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 10);
        assert_eq!(
            lines[0],
            "kafka-add-partitions.sh              kafka-run-class.sh"
        );
        assert_eq!(lines[6], "kafka-preferred-replica-election.sh  windows");
        // At 120 columns GNU ls uses three columns.
        assert_eq!(layout(&cells(&names), 120).lines().count(), 7);
    }

    #[test]
    fn a_narrow_terminal_gets_one_name_a_line() {
        assert_eq!(layout(&cells(&["alpha", "beta"]), 6), "alpha\nbeta\n");
        assert_eq!(layout(&cells(&["a", "b", "c"]), 80), "a  b  c\n");
    }

    proptest::proptest! {
        #[test]
        fn every_name_appears_once_in_column_major_order(
            names in proptest::collection::vec("[a-z._-]{1,30}", 1..40),
            width in 10usize..200,
        ) {
            let text = layout(&cells(&names.iter().map(String::as_str).collect::<Vec<_>>()), width);
            let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split_whitespace().collect()).collect();
            let rows = lines.len();
            // Read column by column: the names come back in their order.
            let mut read = Vec::new();
            for c in 0..lines[0].len() {
                for line in &lines {
                    if let Some(name) = line.get(c) {
                        read.push(name.to_string());
                    }
                }
            }
            proptest::prop_assert_eq!(&read, &names);
            proptest::prop_assert_eq!(rows, names.len().div_ceil(lines[0].len()));
            if lines[0].len() > 1 {
                for line in text.lines() {
                    proptest::prop_assert!(line.len() < width, "{:?} is not narrower than {}", line, width);
                }
            }
        }
    }
}
