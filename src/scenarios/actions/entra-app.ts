/** What an administrator changes in Entra ID: a storage account app's identifierUris (src/azure/storage-app.ts). */
import { addIdentifierUri } from '../../azure/storage-app';
import { defineAction } from '../action-table';
import { req, str } from '../shape';

export const ENTRA_APP_ACTIONS = [
  defineAction({
    do: 'add-identifier-uri',
    about:
      "The storage account's app registration in Entra ID gets api://<tenant>/CIFS/<name> among its identifierUris (modelled): Entra's KDC then issues tickets for cifs/<name>, a private endpoint's name for instance.",
    fields: {
      app: req(
        str({
          pattern: /^cifs\/[^@/]+$/,
          hint: 'must be the storage account\'s SPN, like "cifs/contosofiles.file.core.windows.net"',
          type: 'SPN',
        }),
        "the storage account's SPN in the cloud realm",
      ),
      name: req(
        str({ pattern: /^[A-Za-z0-9.-]{1,253}$/, hint: 'must be a DNS name', type: 'DNS name' }),
        'the name to add (contosofiles.privatelink.file.core.windows.net)',
      ),
    },
    title: (a) => `Entra ID: the app of ${a.app} gets identifierUri …/CIFS/${a.name}`,
    run: (world, a) => addIdentifierUri(world, a.app, a.name),
  }),
];
