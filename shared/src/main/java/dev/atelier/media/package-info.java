/**
 * Generated media in Cloud Storage: the {@link dev.atelier.media.MediaConfig} (bucket, optional
 * local storage server), the {@link dev.atelier.media.MediaStorage} client factory, the object
 * naming rule {@code generations/{uid}/{historyId}/{mediaId}.{ext}} ({@link
 * dev.atelier.media.MediaPath}) and the {@link dev.atelier.media.MediaStore} service that uploads
 * media exactly once, gives every object a Firebase download token and answers its token URL (the
 * bucket itself is private), and deletes media. {@link dev.atelier.media.MediaFetcher} downloads a
 * provider's output under {@link dev.atelier.media.FetchLimits} (scheme and SSRF checks on every
 * redirect hop, size, whole-download timeout, declared type checked against the bytes' magic
 * number) or says why not ({@link dev.atelier.media.MediaRejected}).
 *
 * <p>The package speaks in {@link dev.atelier.media.MediaFormat} sets and imports no feature
 * package.
 */
package dev.atelier.media;
