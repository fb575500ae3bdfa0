package cn.bazhong.credit.gateway.console;

import java.util.List;

/**
 * One page of a list: the rows, the page number (from 1), whether there are pages before and after, and
 * how many rows there are in all.
 */
public record Paged<T>(List<T> rows, int page, int pages, long total) {

    static <T> Paged<T> of(List<T> all, int page, int size) {
        int pages = Math.max(1, (all.size() + size - 1) / size);
        int p = Math.min(Math.max(page, 1), pages);
        int from = (p - 1) * size;
        return new Paged<>(all.subList(from, Math.min(all.size(), from + size)), p, pages, all.size());
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }
}
