package cn.bazhong.credit.gateway.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A horizontal bar chart drawn by the page itself as SVG (no script, readable without one): each bar's
 * label, value as shown, and length in pixels relative to the largest value; the bars start after the
 * longest label.
 */
public record Bars(List<Bar> bars, int width, int height, int labelWidth) {

    public record Bar(String label, String shown, int length, int y) {
    }

    static final int ROW = 22;
    static final int MAX_LENGTH = 420;

    static Bars of(Map<String, ? extends Number> values, java.util.function.Function<Number, String> shown) {
        int longest = values.keySet().stream().mapToInt(String::length).max().orElse(0);
        int labelWidth = Math.max(110, longest * 7 + 10);
        double max = values.values().stream().mapToDouble(Number::doubleValue).max().orElse(0);
        List<Bar> out = new ArrayList<>();
        int y = 0;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            double v = e.getValue().doubleValue();
            int length = max <= 0 ? 0 : (int) Math.round(v / max * MAX_LENGTH);
            out.add(new Bar(e.getKey(), shown.apply(e.getValue()), Math.max(length, v > 0 ? 1 : 0), y));
            y += ROW;
        }
        return new Bars(out, labelWidth + MAX_LENGTH + 90, Math.max(y, ROW), labelWidth);
    }
}
