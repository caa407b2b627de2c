package dev.atelier.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.generations.GenerationType;
import dev.atelier.generations.Visibility;
import dev.atelier.redeem.RedeemCodeStatus;
import dev.atelier.users.ProviderId;
import org.junit.jupiter.api.Test;

class WireEnumTest {

  @Test
  void wireSpellingsAreTheSeeds() {
    assertEquals(GenerationType.TEXT_TO_IMAGE, GenerationType.fromWire("text-to-image"));
    assertEquals("sticker-generation", GenerationType.STICKER_GENERATION.wire());
    assertEquals(Visibility.PRIVATE, Visibility.fromWire("private"));
    assertEquals(RedeemCodeStatus.ACTIVE, RedeemCodeStatus.fromWire("ACTIVE"));
  }

  @Test
  void unknownSpellingIsRejectedNamingTheAllowedOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> GenerationType.fromWire("TEXT_TO_IMAGE"));
    assertTrue(e.getMessage().contains("GenerationType"), e.getMessage());
    assertTrue(e.getMessage().contains("text-to-image"), e.getMessage());
  }

  @Test
  void firebaseSignInProvidersMapToProviderIds() {
    assertEquals(ProviderId.GOOGLE, ProviderId.fromSignInProvider("google.com"));
    assertEquals(ProviderId.PASSWORD, ProviderId.fromSignInProvider("password"));
    assertEquals(ProviderId.UNKNOWN, ProviderId.fromSignInProvider("phone"));
    assertEquals(ProviderId.UNKNOWN, ProviderId.fromSignInProvider(null));
  }
}
