// docs/examples/dev-server.test.ts is the example of docs/dev-server-in-tests.md: a test file
// as a user would write it. Importing it here registers its tests in this file, so the
// example runs (and must pass) with the rest of the documentation's tests.
import '../../../docs/examples/dev-server.test.ts';
