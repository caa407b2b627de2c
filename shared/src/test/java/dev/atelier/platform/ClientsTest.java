package dev.atelier.platform;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.jackson2.JacksonFactory;
import com.google.firebase.FirebaseOptions;
import org.junit.jupiter.api.Test;

class ClientsTest {

  @Test
  void firebaseAdminRunsOnTheJdkTransportAndParsesJsonStrictly() {
    // Building the app contacts nothing, so the Auth emulator host need not answer.
    FirebaseOptions options =
        Clients.firebaseApp(Config.forEmulators("clients-test", "127.0.0.1:9", "127.0.0.1:9", "t"))
            .getOptions();
    assertInstanceOf(NetHttpTransport.class, options.getHttpTransport());
    // Not Gson, which starts faster but reads JSON leniently: an emulator token whose claims hold a
    // raw control character passed verification with it (bench/README).
    assertInstanceOf(JacksonFactory.class, options.getJsonFactory());
  }
}
