/**
 * Generated media in Cloud Storage: the {@link dev.atelier.media.MediaConfig} (bucket, optional local storage
 * server), the {@link dev.atelier.media.MediaStorage} client factory, the object naming rule
 * {@code generations/{uid}/{historyId}/{mediaId}.{ext}} ({@link dev.atelier.media.MediaPath}) and the
 * {@link dev.atelier.media.MediaStore} service that uploads media exactly once and answers its public URL.
 */
package dev.atelier.media;
