import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, isLoopbackHost, mysqlPoolOptions } from './connection';
import { InsecureDatabaseUrlError } from './errors';

describe('mysqlPoolOptions: TLS off loopback', () => {
  it('requires verified TLS for a remote host whose URL says nothing about ssl', () => {
    const options = mysqlPoolOptions('mysql://orders:pw@db.internal.example:3306/orders');
    expect(options.ssl).toEqual({ rejectUnauthorized: true, minVersion: 'TLSv1.2' });
    expect(options.uri).toBe('mysql://orders:pw@db.internal.example:3306/orders');
  });

  it('connects in plain text to loopback by default, so the local MariaDB needs no certificate', () => {
    for (const url of [
      'mysql://root@127.0.0.1:3306/test',
      'mysql://root@localhost/test',
      'mysql://root@[::1]:3306/test',
    ]) {
      expect(mysqlPoolOptions(url).ssl).toBeUndefined();
    }
  });

  it('verifies against the Amazon RDS CA bundle with ssl=rds and drops the parameter from the URI', () => {
    const options = mysqlPoolOptions(
      'mysql://u:p@orders.abc.ap-northeast-1.rds.amazonaws.com/orders?ssl=rds',
    );
    expect(options.ssl).toBe('Amazon RDS');
    expect(options.uri).toBe('mysql://u:p@orders.abc.ap-northeast-1.rds.amazonaws.com/orders');
  });

  it('asks for TLS on loopback too with ssl=true', () => {
    expect(mysqlPoolOptions('mysql://root@127.0.0.1/test?ssl=true').ssl).toEqual({
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  });

  it('refuses ssl=false off loopback, naming the host and hiding the password', () => {
    const attempt = () => mysqlPoolOptions('mysql://orders:s3cret-pw@10.0.3.7:3306/orders?ssl=false');
    expect(attempt).toThrow(InsecureDatabaseUrlError);
    expect(attempt).toThrow(/without TLS to 10\.0\.3\.7: TLS is required off loopback/);
    expect(attempt).not.toThrow(/s3cret-pw/);
  });

  it('refuses an ssl value it does not know', () => {
    expect(() => mysqlPoolOptions('mysql://root@127.0.0.1/test?ssl=maybe')).toThrow(
      'unsupported ssl=maybe in mysql://root@127.0.0.1/test?ssl=maybe: use ssl=true, ssl=rds or (on loopback only) ssl=false',
    );
  });

  it('tells loopback hosts from the rest', () => {
    expect(['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '0.0.0.0', 'db', 'localhost.example.com', '::'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('createDatabase: the SQLite file is private', () => {
  const umask = process.umask();
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-perm-'));
    // The usual 022: without the explicit modes the directory would be 0755 and the file 0644.
    process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates its directory 0700 and the database, WAL and SHM files 0600', async () => {
    const database = await createDatabase(`sqlite:${join(dir, 'data', 'orders.sqlite')}`);
    try {
      expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
      for (const f of ['orders.sqlite', 'orders.sqlite-wal', 'orders.sqlite-shm']) {
        expect([f, statSync(join(dir, 'data', f)).mode & 0o777]).toEqual([f, 0o600]);
      }
    } finally {
      await database.close();
    }
  });
});
