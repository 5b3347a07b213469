// Makes the blob container the tests use in the local Azurite, if it is not there yet:
// object_store reads and writes blobs but, like the application, never creates containers
// (in production the deployment provisions it).
//
//   node scripts/azurite-container.mjs <blob endpoint> <container>
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";

const [endpoint, container] = process.argv.slice(2);
// Azurite's well-known development account (published by Microsoft; not a secret).
const account = "devstoreaccount1";
const key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const service = new BlobServiceClient(`${endpoint}/${account}`, new StorageSharedKeyCredential(account, key));
await service.getContainerClient(container).createIfNotExists();
console.log(`container ${container} ready at ${endpoint}`);
