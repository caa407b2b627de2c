package dev.atelier.schema;

import dev.atelier.admin.AdminAudit;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.catalog.SystemHealth;
import dev.atelier.catalog.SystemVersion;
import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.idempotency.IdempotencyRecord;
import dev.atelier.maintenance.MaintenanceState;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeUsage;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.RouterAlert;
import dev.atelier.router.RoutingDecision;
import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.SchemaProvider;
import dev.atelier.usage.RateLimitLog;
import dev.atelier.usage.UsageLog;
import dev.atelier.users.UserProfile;
import dev.atelier.users.UsernameReservation;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The one table of stored records: for every {@link DocumentKind}, the record it holds and the
 * codec that writes and reads it (the {@code *Mapping} classes beside this one). Installed into the
 * store package at run time ({@code META-INF/services/dev.atelier.store.SchemaProvider}) so that
 * store, which every feature uses, depends on no feature itself.
 */
public final class Schema implements SchemaProvider {

  private static final List<Binding<?>> BINDINGS =
      List.of(
          bind(
              DocumentKind.USER,
              UserProfile.class,
              UsersMapping::writeProfile,
              UsersMapping::readProfile),
          bind(
              DocumentKind.USERNAME_RESERVATION,
              UsernameReservation.class,
              UsersMapping::writeReservation,
              UsersMapping::readReservation),
          bind(
              DocumentKind.BALANCE,
              Balance.class,
              CreditsMapping::writeBalance,
              CreditsMapping::readBalance),
          bind(
              DocumentKind.LEDGER_ENTRY,
              LedgerEntry.class,
              CreditsMapping::writeEntry,
              CreditsMapping::readEntry),
          bind(
              DocumentKind.APPLIED_ENTRY,
              AppliedEntry.class,
              CreditsMapping::writeApplied,
              CreditsMapping::readApplied),
          bind(
              DocumentKind.REDEEM_CODE,
              RedeemCode.class,
              RedeemMapping::writeCode,
              RedeemMapping::readCode),
          bind(
              DocumentKind.REDEEM_CODE_USAGE,
              RedeemCodeUsage.class,
              RedeemMapping::writeUsage,
              RedeemMapping::readUsage),
          bind(
              DocumentKind.HISTORY_ITEM,
              GenerationItem.class,
              GenerationsMapping::writeItem,
              GenerationsMapping::readItem),
          bind(
              DocumentKind.PUBLIC_GENERATION,
              PublicGeneration.class,
              GenerationsMapping::writeMirror,
              GenerationsMapping::readMirror),
          bind(DocumentKind.PLAN, Plan.class, CatalogMapping::writePlan, CatalogMapping::readPlan),
          bind(
              DocumentKind.MODEL_CONFIG,
              ModelConfig.class,
              CatalogMapping::writeModel,
              CatalogMapping::readModel),
          bind(
              DocumentKind.SYSTEM_CONFIG,
              SystemConfig.class,
              CatalogMapping::writeConfig,
              CatalogMapping::readConfig),
          bind(
              DocumentKind.SYSTEM_VERSION,
              SystemVersion.class,
              CatalogMapping::writeVersion,
              CatalogMapping::readVersion),
          bind(
              DocumentKind.SYSTEM_HEALTH,
              SystemHealth.class,
              CatalogMapping::writeHealth,
              CatalogMapping::readHealth),
          bind(
              DocumentKind.PROVIDER_HEALTH,
              ProviderHealth.class,
              RouterMapping::writeHealth,
              RouterMapping::readHealth),
          bind(
              DocumentKind.MODEL_QUOTA,
              ModelQuota.class,
              RouterMapping::writeQuota,
              RouterMapping::readQuota),
          bind(
              DocumentKind.ROUTER_ALERT,
              RouterAlert.class,
              RouterMapping::writeAlert,
              RouterMapping::readAlert),
          bind(
              DocumentKind.ROUTING_DECISION,
              RoutingDecision.class,
              RouterMapping::writeDecision,
              RouterMapping::readDecision),
          bind(
              DocumentKind.RATE_LIMIT_LOG,
              RateLimitLog.class,
              UsageMapping::writeRateLimit,
              UsageMapping::readRateLimit),
          bind(
              DocumentKind.USAGE_LOG,
              UsageLog.class,
              UsageMapping::writeUsage,
              UsageMapping::readUsage),
          bind(
              DocumentKind.IDEMPOTENCY_RECORD,
              IdempotencyRecord.class,
              IdempotencyMapping::writeRecord,
              IdempotencyMapping::readRecord),
          bind(
              DocumentKind.ADMIN_AUDIT,
              AdminAudit.class,
              AdminMapping::writeAudit,
              AdminMapping::readAudit),
          bind(
              DocumentKind.MAINTENANCE_STATE,
              MaintenanceState.class,
              AdminMapping::writeMaintenance,
              AdminMapping::readMaintenance));

  /** The public no-arg constructor the ServiceLoader needs. */
  public Schema() {}

  @Override
  public List<Binding<?>> bindings() {
    return BINDINGS;
  }

  private record Codec<T>(
      DocumentKind kind,
      Class<T> type,
      BiConsumer<T, DocWriter> writer,
      BiFunction<DocumentKey, DocReader, T> reader)
      implements Binding<T> {
    @Override
    public Map<String, Object> encode(T record) {
      DocWriter w = new DocWriter();
      writer.accept(record, w);
      return w.build();
    }

    @Override
    public T decode(DocumentKey key, Map<String, Object> fields) {
      return reader.apply(key, new DocReader(key.path(), fields));
    }
  }

  private static <T> Binding<T> bind(
      DocumentKind kind,
      Class<T> type,
      BiConsumer<T, DocWriter> write,
      BiFunction<DocumentKey, DocReader, T> read) {
    return new Codec<>(kind, type, write, read);
  }
}
