package au.com.backup247.agent.catalog;

import java.util.List;

/**
 * One page of a keyset-paginated listing: {@code next} is the key to pass as "after" for the next
 * page, or null when this is the last page.
 */
public record Page<T>(List<T> items, Long next) {
  public Page {
    items = List.copyOf(items);
  }
}
