package dev.musicshare.history;

import java.util.List;

/**
 * A page of session records, newest first.
 *
 * @param sessions the page
 * @param total    records matching the filter, over all pages
 * @param limit    the page size asked for
 * @param offset   records skipped before this page
 */
public record SessionPage(List<SessionSummary> sessions, long total, int limit, int offset) {}
