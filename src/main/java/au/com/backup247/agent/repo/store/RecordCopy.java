package au.com.backup247.agent.repo.store;

import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * A copy of a record with some components changed, made through its canonical constructor (so the
 * record checks and normalises the new values as it did the old): the one copy mechanism behind the
 * {@code with…} methods of the backends' config records, instead of each of them listing every
 * component again.
 *
 * <pre>
 *   return RecordCopy.of(this).set("password", password).build();
 * </pre>
 *
 * A component name the record does not have, or a value of the wrong type, is an
 * {@link IllegalArgumentException} naming it (a programming error: every {@code with…} method is
 * run by the backends' tests).
 *
 * @param <R> the record
 */
public final class RecordCopy<R extends Record> {
  private final Class<R> type;
  private final RecordComponent[] components;
  private final Object[] values;

  private RecordCopy(Class<R> type, R record) {
    this.type = type;
    this.components = type.getRecordComponents();
    this.values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      try {
        values[i] = components[i].getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + components[i].getName(), e);
      }
    }
  }

  /** A copy of {@code record}, to change with {@link #set} before {@link #build}. */
  @SuppressWarnings("unchecked")
  public static <R extends Record> RecordCopy<R> of(R record) {
    return new RecordCopy<>((Class<R>) record.getClass(), record);
  }

  /** Gives component {@code name} the value {@code value} (null allowed for reference types). */
  public RecordCopy<R> set(String name, Object value) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].getName().equals(name)) {
        Class<?> t = components[i].getType();
        if (value == null ? t.isPrimitive() : !boxed(t).isInstance(value)) {
          throw new IllegalArgumentException(type.getSimpleName() + "." + name + " is a " + t.getSimpleName()
              + ", not " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        values[i] = value;
        return this;
      }
    }
    throw new IllegalArgumentException(type.getSimpleName() + " has no component " + name);
  }

  /** The new record; what its constructor refuses is thrown as the constructor threw it. */
  public R build() {
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      Constructor<R> canonical = type.getDeclaredConstructor(types);
      return canonical.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("cannot copy " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + type.getSimpleName(), e);
    }
  }

  private static Class<?> boxed(Class<?> t) {
    return MethodType.methodType(t).wrap().returnType();
  }
}
