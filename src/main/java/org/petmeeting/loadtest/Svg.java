package org.petmeeting.loadtest;

import java.util.Locale;

/** A few SVG primitives, enough for line and bar charts without a chart library. */
final class Svg {
  private final StringBuilder b = new StringBuilder();
  private final int width;
  private final int height;

  Svg(int width, int height) {
    this.width = width;
    this.height = height;
  }

  Svg rect(double x, double y, double w, double h, String fill, String extra) {
    b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" %s/>%n",
        x, y, Math.max(0, w), Math.max(0, h), fill, extra == null ? "" : extra));
    return this;
  }

  Svg line(double x1, double y1, double x2, double y2, String stroke, double width, String dash) {
    b.append(String.format(Locale.ROOT,
        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
        x1, y1, x2, y2, stroke, width, dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
    return this;
  }

  Svg polyline(double[] xs, double[] ys, String stroke, double width) {
    if (xs.length == 0) {
      return this;
    }
    b.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"")
        .append(String.format(Locale.ROOT, "%.1f", width)).append("\" stroke-linejoin=\"round\" points=\"");
    for (int i = 0; i < xs.length; i++) {
      b.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
    }
    b.append("\"/>\n");
    return this;
  }

  /** Text; {@code anchor} is start, middle or end. */
  Svg text(double x, double y, String s, int size, String anchor, String fill, boolean bold) {
    b.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" fill=\"%s\"%s>%s</text>%n",
        x, y, size, anchor, fill, bold ? " font-weight=\"bold\"" : "", escape(s)));
    return this;
  }

  Svg verticalText(double x, double y, String s, int size, String fill) {
    b.append(String.format(Locale.ROOT,
        "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"middle\" fill=\"%s\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>%n",
        x, y, size, fill, x, y, escape(s)));
    return this;
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  String render() {
    return String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n",
        width, height, width, height)
        + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + b + "</svg>\n";
  }

  /** A plot area with axes: maps data to pixels, linear or log10 on y. */
  static final class Plot {
    final Svg svg;
    final double x;
    final double y;
    final double w;
    final double h;
    final double xMax;
    final double yMin;
    final double yMax;
    final boolean logY;

    Plot(Svg svg, double x, double y, double w, double h, double xMax, double yMin, double yMax, boolean logY) {
      this.svg = svg;
      this.x = x;
      this.y = y;
      this.w = w;
      this.h = h;
      this.xMax = xMax <= 0 ? 1 : xMax;
      this.yMin = logY ? Math.max(yMin, 1e-3) : yMin;
      this.yMax = yMax <= this.yMin ? this.yMin + 1 : yMax;
      this.logY = logY;
    }

    double px(double v) {
      return x + w * Math.max(0, Math.min(1, v / xMax));
    }

    double py(double v) {
      double f;
      if (logY) {
        double lv = Math.log10(Math.max(v, yMin));
        f = (lv - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin));
      } else {
        f = (v - yMin) / (yMax - yMin);
      }
      return y + h - h * Math.max(0, Math.min(1, f));
    }

    /** Frame, title, y grid with labels (log: decades 1-2-5), x ticks every {@code xStep} when positive. */
    void axes(String title, String yLabel, String xLabel, double xStep) {
      svg.text(x, y - 12, title, 15, "start", "#222", true);
      if (logY) {
        for (double d = Math.pow(10, Math.floor(Math.log10(yMin))); d <= yMax * 1.0001; d *= 10) {
          for (double m : new double[] {1, 2, 5}) {
            double v = d * m;
            if (v >= yMin * 0.9999 && v <= yMax * 1.0001) {
              gridLine(v, label(v));
            }
          }
        }
      } else {
        double step = niceStep((yMax - yMin) / 5);
        for (double v = Math.ceil(yMin / step) * step; v <= yMax * 1.0001; v += step) {
          gridLine(v, label(v));
        }
      }
      if (xStep > 0) {
        for (double v = 0; v <= xMax + 1e-9; v += xStep) {
          svg.line(px(v), y + h, px(v), y + h + 4, "#666", 1, null);
          svg.text(px(v), y + h + 16, label(v), 11, "middle", "#444", false);
        }
      }
      svg.line(x, y + h, x + w, y + h, "#444", 1, null);
      svg.line(x, y, x, y + h, "#444", 1, null);
      if (yLabel != null) {
        svg.verticalText(x - 48, y + h / 2, yLabel, 12, "#333");
      }
      if (xLabel != null) {
        svg.text(x + w / 2, y + h + 32, xLabel, 12, "middle", "#333", false);
      }
    }

    private void gridLine(double v, String label) {
      svg.line(x, py(v), x + w, py(v), "#e4e4e4", 1, null);
      svg.text(x - 6, py(v) + 4, label, 11, "end", "#444", false);
    }
  }

  static double niceStep(double raw) {
    if (raw <= 0) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  static String label(double v) {
    double a = Math.abs(v);
    if (a >= 1_000_000) {
      return compact(v / 1_000_000) + "M";
    }
    if (a >= 1000) {
      return compact(v / 1000) + "k";
    }
    return compact(v);
  }

  private static String compact(double v) {
    if (Math.abs(v - Math.rint(v)) < 1e-9) {
      return Long.toString(Math.round(v));
    }
    String s = String.format(Locale.ROOT, Math.abs(v) < 1 ? "%.2f" : "%.1f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
