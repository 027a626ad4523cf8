/**
 * Lot photos in MongoDB GridFS (the driver's GridFSBucket on the app's own connection; works on the
 * embedded server and on MongoDB). Each photo is two files: `<photoId>:full` and `<photoId>:thumb`.
 * Every file carries the lot's expiry in its metadata, so the retention sweep needs no join: a file whose
 * lot expired more than the retention ago goes, whether or not its lot still names it (an upload cut off
 * between the file and the lot's list leaves such an orphan; the sweep removes it in time).
 */
import { GridFSBucket, type GridFSFile } from 'mongodb';
import type { Connection } from 'mongoose';

export type PhotoVariant = 'full' | 'thumb';

export interface StoredPhotoFile {
  bytes: Buffer;
  contentType: string;
}

export interface PhotosRepository {
  save(input: {
    photoId: string;
    variant: PhotoVariant;
    lotId: string;
    lotExpiresAt: Date;
    contentType: string;
    bytes: Buffer;
  }): Promise<void>;
  read(photoId: string, variant: PhotoVariant): Promise<StoredPhotoFile | null>;
  /** Deletes both variants of a photo (missing ones are fine). */
  remove(photoId: string): Promise<void>;
  /** Deletes up to `batch` files of lots that expired before `before`; returns the lots they belonged to. */
  removeExpired(before: Date, batch: number): Promise<string[]>;
}

const fileId = (photoId: string, variant: PhotoVariant) => `${photoId}:${variant}`;

export function createPhotosRepository(connection: Connection): PhotosRepository {
  let bucket: GridFSBucket | undefined;
  const photos = (): GridFSBucket => {
    // The database handle exists once the connection is open; the bucket is made on first use.
    if (!bucket) {
      const db = connection.db;
      if (!db) throw new Error('The database connection is not open');
      bucket = new GridFSBucket(db, { bucketName: 'lotPhotos' });
    }
    return bucket;
  };

  async function removeFile(id: string): Promise<void> {
    try {
      await photos().delete(id as never);
    } catch (err) {
      // Deleting what is already gone is the goal reached (a retried delete, a photo without a thumbnail).
      if (!(err instanceof Error && /File not found/i.test(err.message))) throw err;
    }
  }

  return {
    async save({ photoId, variant, lotId, lotExpiresAt, contentType, bytes }) {
      const id = fileId(photoId, variant);
      // A retried thumbnail replaces the earlier one.
      await removeFile(id);
      const upload = photos().openUploadStreamWithId(id as never, id, {
        metadata: { lotId, photoId, variant, contentType, lotExpiresAt },
      });
      await new Promise<void>((resolve, reject) => {
        upload.once('finish', () => resolve());
        upload.once('error', reject);
        upload.end(bytes);
      });
    },

    async read(photoId, variant) {
      const id = fileId(photoId, variant);
      const [file] = (await photos()
        .find({ _id: id as never })
        .limit(1)
        .toArray()) as GridFSFile[];
      if (!file) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of photos().openDownloadStream(id as never)) chunks.push(chunk as Buffer);
      const contentType = (file.metadata as { contentType?: unknown } | undefined)?.contentType;
      return {
        bytes: Buffer.concat(chunks),
        contentType: typeof contentType === 'string' ? contentType : 'application/octet-stream',
      };
    },

    async remove(photoId) {
      await removeFile(fileId(photoId, 'full'));
      await removeFile(fileId(photoId, 'thumb'));
    },

    async removeExpired(before, batch) {
      const files = (await photos()
        .find({ 'metadata.lotExpiresAt': { $lt: before } })
        .limit(batch)
        .toArray()) as GridFSFile[];
      const lots = new Set<string>();
      for (const file of files) {
        await removeFile(String(file._id));
        const lotId = (file.metadata as { lotId?: unknown } | undefined)?.lotId;
        if (typeof lotId === 'string') lots.add(lotId);
      }
      return [...lots];
    },
  };
}
