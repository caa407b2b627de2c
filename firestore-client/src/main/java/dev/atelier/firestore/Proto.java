package dev.atelier.firestore;

/**
 * The field numbers (and enum values) of the {@code google.firestore.v1} messages we send and read,
 * from the API's published .proto files; nothing else in the client writes a number. {@code
 * ProtoCodecTest} checks each message we build against the generated protobuf classes.
 */
final class Proto {
  private Proto() {}

  /** {@code google.protobuf.Timestamp}. */
  static final class Timestamp {
    static final int SECONDS = 1;
    static final int NANOS = 2;
  }

  /** {@code Value}: a oneof, so each member is written even when it holds its default. */
  static final class Value {
    static final int BOOLEAN = 1;
    static final int INTEGER = 2;
    static final int DOUBLE = 3;
    static final int REFERENCE = 5;
    static final int MAP = 6;
    static final int GEO_POINT = 8;
    static final int ARRAY = 9;
    static final int TIMESTAMP = 10;
    static final int NULL = 11;
    static final int STRING = 17;
    static final int BYTES = 18;
  }

  /** {@code ArrayValue}. */
  static final class ArrayValue {
    static final int VALUES = 1;
  }

  /** {@code MapValue}; a map field is repeated entries of {@link MapEntry}. */
  static final class MapValue {
    static final int FIELDS = 1;
  }

  /** An entry of any {@code map<string, Value>}. */
  static final class MapEntry {
    static final int KEY = 1;
    static final int VALUE = 2;
  }

  static final class Document {
    static final int NAME = 1;
    static final int FIELDS = 2;
    static final int CREATE_TIME = 3;
    static final int UPDATE_TIME = 4;
  }

  static final class BatchGetDocumentsRequest {
    static final int DATABASE = 1;
    static final int DOCUMENTS = 2;
    static final int TRANSACTION = 4;
    static final int NEW_TRANSACTION = 5;
  }

  static final class BatchGetDocumentsResponse {
    static final int FOUND = 1;
    static final int TRANSACTION = 3;
  }

  static final class TransactionOptions {
    static final int READ_WRITE = 3;
  }

  static final class ReadWrite {
    static final int RETRY_TRANSACTION = 1;
  }

  static final class CommitRequest {
    static final int DATABASE = 1;
    static final int WRITES = 2;
    static final int TRANSACTION = 3;
  }

  static final class RollbackRequest {
    static final int DATABASE = 1;
    static final int TRANSACTION = 2;
  }

  static final class Write {
    static final int UPDATE = 1;
    static final int DELETE = 2;
    static final int UPDATE_MASK = 3;
    static final int CURRENT_DOCUMENT = 4;
    static final int UPDATE_TRANSFORMS = 7;
  }

  static final class DocumentMask {
    static final int FIELD_PATHS = 1;
  }

  static final class Precondition {
    static final int EXISTS = 1;
  }

  static final class FieldTransform {
    static final int FIELD_PATH = 1;
    static final int SET_TO_SERVER_VALUE = 2;
    static final int INCREMENT = 3;

    /** {@code ServerValue.REQUEST_TIME}. */
    static final int REQUEST_TIME = 1;
  }

  static final class RunQueryRequest {
    static final int PARENT = 1;
    static final int STRUCTURED_QUERY = 2;
    static final int TRANSACTION = 5;
    static final int NEW_TRANSACTION = 6;
  }

  static final class RunQueryResponse {
    static final int DOCUMENT = 1;
    static final int TRANSACTION = 2;
  }

  static final class StructuredQuery {
    static final int SELECT = 1;
    static final int FROM = 2;
    static final int WHERE = 3;
    static final int ORDER_BY = 4;
    static final int LIMIT = 5;
    static final int START_AT = 7;

    static final int ASCENDING = 1;
    static final int DESCENDING = 2;
  }

  static final class CollectionSelector {
    static final int COLLECTION_ID = 2;
    static final int ALL_DESCENDANTS = 3;
  }

  static final class Filter {
    static final int COMPOSITE = 1;
    static final int FIELD = 2;
    static final int UNARY = 3;
  }

  static final class CompositeFilter {
    static final int OP = 1;
    static final int FILTERS = 2;

    static final int AND = 1;
  }

  static final class FieldFilter {
    static final int FIELD = 1;
    static final int OP = 2;
    static final int VALUE = 3;

    static final int LESS_THAN = 1;
    static final int LESS_THAN_OR_EQUAL = 2;
    static final int GREATER_THAN = 3;
    static final int GREATER_THAN_OR_EQUAL = 4;
    static final int EQUAL = 5;
    static final int IN = 8;
  }

  static final class UnaryFilter {
    static final int OP = 1;
    static final int FIELD = 2;

    static final int IS_NULL = 3;
  }

  static final class Order {
    static final int FIELD = 1;
    static final int DIRECTION = 2;
  }

  static final class FieldReference {
    static final int FIELD_PATH = 2;
  }

  static final class Projection {
    static final int FIELDS = 2;
  }

  static final class Cursor {
    static final int VALUES = 1;
  }

  /** {@code google.protobuf.Int32Value}, the query's limit. */
  static final class Int32Value {
    static final int VALUE = 1;
  }

  static final class RunAggregationQueryRequest {
    static final int PARENT = 1;
    static final int STRUCTURED_AGGREGATION_QUERY = 2;
    static final int TRANSACTION = 4;
    static final int NEW_TRANSACTION = 5;
  }

  static final class RunAggregationQueryResponse {
    static final int RESULT = 1;
    static final int TRANSACTION = 2;
  }

  static final class StructuredAggregationQuery {
    static final int STRUCTURED_QUERY = 1;
    static final int AGGREGATIONS = 3;
  }

  static final class Aggregation {
    static final int COUNT = 1;
    static final int SUM = 2;
    static final int ALIAS = 7;
  }

  static final class Sum {
    static final int FIELD = 1;
  }

  static final class AggregationResult {
    static final int AGGREGATE_FIELDS = 2;
  }
}
