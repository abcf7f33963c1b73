/**
 * Direct access to one object store, bypassing the checkpoint store under test: lets tests
 * plant corrupt entries and inspect exactly what was written. Each call opens and closes its
 * own connection so it never blocks the store's version changes.
 */
export interface IdbRaw {
  writeRaw(id: string, value: unknown): Promise<void>;
  readRaw(id: string): Promise<unknown>;
  deleteDatabase(): Promise<void>;
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function idbRaw(factory: IDBFactory, dbName: string, storeName: string): IdbRaw {
  async function open(): Promise<IDBDatabase> {
    const db = await settle(factory.open(dbName));
    if (db.objectStoreNames.contains(storeName)) return db;
    const version = db.version + 1;
    db.close();
    const request = factory.open(dbName, version);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    return settle(request);
  }

  async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>) {
    const db = await open();
    try {
      const tx = db.transaction(storeName, mode);
      const result = await settle(op(tx.objectStore(storeName)));
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error);
      });
      return result;
    } finally {
      db.close();
    }
  }

  return {
    async writeRaw(id, value) {
      await run('readwrite', (s) => s.put(value, id));
    },
    readRaw: (id) => run('readonly', (s) => s.get(id)),
    async deleteDatabase() {
      await settle(factory.deleteDatabase(dbName) as IDBRequest<unknown>);
    },
  };
}
