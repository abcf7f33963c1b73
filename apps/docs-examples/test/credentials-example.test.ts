// docs/examples/credentials.test.ts is the example of docs/credentials.md; importing it here
// registers its tests in this file, so the guide's code runs with the documentation's tests.
import '../../../docs/examples/credentials.test.ts';
