package cn.bazhong.credit.gateway.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A horizontal bar chart drawn by the page itself as SVG (no script, readable without one): each bar's
 * label, value as shown, and length in pixels relative to the largest value.
 */
public record Bars(List<Bar> bars, int width, int height) {

    public record Bar(String label, String shown, int length, int y) {
    }

    static final int ROW = 22;
    static final int MAX_LENGTH = 420;

    static Bars of(Map<String, ? extends Number> values, java.util.function.Function<Number, String> shown) {
        double max = values.values().stream().mapToDouble(Number::doubleValue).max().orElse(0);
        List<Bar> out = new ArrayList<>();
        int y = 0;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            double v = e.getValue().doubleValue();
            int length = max <= 0 ? 0 : (int) Math.round(v / max * MAX_LENGTH);
            out.add(new Bar(e.getKey(), shown.apply(e.getValue()), Math.max(length, v > 0 ? 1 : 0), y));
            y += ROW;
        }
        return new Bars(out, MAX_LENGTH + 200, Math.max(y, ROW));
    }
}
