/**
 * Puts a data file's pages in the OS page cache the way the server's own reads would leave them.
 *
 * The server reads data.mdb through LMDB's memory map with read-ahead off (MADV_RANDOM), so the
 * kernel caches what it reads a 4 KB page at a time. A sequential read (`cat`, `cp`, a file-level
 * backup) fills the cache with large folios instead — up to 2 MB — and a fault on one of those maps
 * the whole folio (FilePmdMapped in /proc/PID/smaps): each random document read then maps 2 MB, so
 * the process's mapped size grows ~30× faster than its reads warrant. A benchmark warmed with `cat`
 * measures that accident, not the server. Node has no posix_fadvise, so this asks python3 (present on
 * Debian) to drop the file's cached pages and read it back 4 KB at a time with read-ahead off; without
 * python3, the file's cached pages are only dropped (`dd iflag=nocache`) and the run starts cold.
 */
import { spawnSync } from 'node:child_process';

const WARM_SMALL = `
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
size, off = os.fstat(fd).st_size, 0
while off < size:
    os.pread(fd, 4096, off)
    off += 4096
os.close(fd)
`;

/** Returns how the cache was left: 'warm (4 KB pages)' or 'cold'. */
export function warmLikeTheServer(file: string): string {
  const python = spawnSync('python3', ['-c', WARM_SMALL, file], { stdio: 'ignore' });
  if (python.status === 0) return 'warm (4 KB pages, as the server reads them)';
  spawnSync('dd', [`if=${file}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' });
  return 'cold (python3 not found: cached pages dropped)';
}
