package dev.atelier.platform;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.atelier.store.WireEnum;
import java.io.IOException;
import java.time.Instant;

/**
 * The one JSON mapping of answers (HTTP bodies and remembered idempotent answers): records as
 * objects, {@link Instant} as RFC 3339, {@link WireEnum}s in their stored spelling (e.g. provider
 * "replicate").
 */
public final class Json {

  public static final Gson GSON =
      new GsonBuilder()
          .disableHtmlEscaping()
          .registerTypeAdapter(Instant.class, new InstantAdapter())
          .registerTypeAdapterFactory(new WireEnumFactory())
          .create();

  private Json() {}

  private static final class WireEnumFactory implements TypeAdapterFactory {
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
      Class<? super T> raw = type.getRawType();
      if (!raw.isEnum() || !WireEnum.class.isAssignableFrom(raw)) {
        return null;
      }
      Class<? extends Enum> enumType = (Class<? extends Enum>) raw;
      return (TypeAdapter<T>)
          new TypeAdapter<Object>() {
            @Override
            public void write(JsonWriter out, Object value) throws IOException {
              if (value == null) {
                out.nullValue();
              } else {
                out.value(((WireEnum) value).wire());
              }
            }

            @Override
            public Object read(JsonReader in) throws IOException {
              String wire = in.nextString();
              for (Object constant : enumType.getEnumConstants()) {
                if (((WireEnum) constant).wire().equals(wire)) {
                  return constant;
                }
              }
              throw new IOException("unknown " + enumType.getSimpleName() + " " + wire);
            }
          };
    }
  }

  private static final class InstantAdapter extends TypeAdapter<Instant> {
    @Override
    public void write(JsonWriter out, Instant value) throws IOException {
      if (value == null) {
        out.nullValue();
      } else {
        out.value(value.toString());
      }
    }

    @Override
    public Instant read(JsonReader in) throws IOException {
      return Instant.parse(in.nextString());
    }
  }
}
