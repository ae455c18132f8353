/**
 * Subtree relocation (docs/PROTOCOL.md "Relocation"; contracts/security/ChainRelocation.sol): the subtree list the
 * registry's `relocate` requires, and wrappers for the two consent steps. The moving chain's governance calls
 * `requestRelocation`; the new parent's governance (the cluster timelock for the top level) calls
 * `acceptRelocation`, which reads the tree and passes the subtree itself. Connect each contract to the right
 * signer before calling (`contract.connect(signer)`).
 */
import type { TransactionReceipt } from "ethers";

import type { ChainRelocation, ValidiumRegistry } from "../../typechain-types/index.ts";

/** The registry views `subtreeOf` reads (a typed `ValidiumRegistry` has them). */
export interface RegistryTreeViews {
  chainCount(): Promise<bigint>;
  chainIdAt(i: bigint | number): Promise<bigint>;
  chain(id: bigint): Promise<{ parent: bigint }>;
}

/** A subtree in the order `relocate` requires, with each entry's parent index (`parentIndex[0]` is 0, unused). */
export interface Subtree {
  subtree: bigint[];
  parentIndex: bigint[];
}

/**
 * The subtree of `chainId` from the registry's enumeration: breadth-first from `chainId`, siblings in
 * increasing id order (the registry rejects any other order), every status included (Frozen and Ejected chains
 * stay in the tree and move with it). Throws if `chainId` is not registered.
 */
export async function subtreeOf(registry: RegistryTreeViews, chainId: bigint | number): Promise<Subtree> {
  const root = BigInt(chainId);
  const n = await registry.chainCount();
  const children = new Map<bigint, bigint[]>();
  let found = false;
  for (let i = 0n; i < n; i++) {
    const id = await registry.chainIdAt(i);
    if (id === root) found = true;
    const parent = (await registry.chain(id)).parent;
    const list = children.get(parent);
    if (list) list.push(id);
    else children.set(parent, [id]);
  }
  if (!found) throw new Error(`chain ${root} is not registered`);
  const subtree: bigint[] = [root];
  const parentIndex: bigint[] = [0n];
  for (let head = 0; head < subtree.length; head++) {
    const kids = [...(children.get(subtree[head]!) ?? [])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    for (const kid of kids) {
      subtree.push(kid);
      parentIndex.push(BigInt(head));
    }
  }
  return { subtree, parentIndex };
}

/** Requests moving `chainId` under `newParent` (0 = top level). `relocation` must be connected to the chain's
 *  governance. */
export async function requestRelocation(
  relocation: ChainRelocation,
  chainId: bigint | number,
  newParent: bigint | number,
): Promise<TransactionReceipt> {
  const tx = await relocation.requestRelocation(BigInt(chainId), BigInt(newParent));
  const receipt = await tx.wait();
  if (!receipt) throw new Error("requestRelocation: no receipt");
  return receipt;
}

/** Cancels the chain's request. `relocation` must be connected to the chain's governance. */
export async function cancelRelocation(
  relocation: ChainRelocation,
  chainId: bigint | number,
): Promise<TransactionReceipt> {
  const tx = await relocation.cancelRelocation(BigInt(chainId));
  const receipt = await tx.wait();
  if (!receipt) throw new Error("cancelRelocation: no receipt");
  return receipt;
}

/**
 * Accepts the request of `chainId` and executes the move, passing the subtree read from `registry` now.
 * `relocation` must be connected to the new parent's governance (the root acceptor for `newParent` 0).
 */
export async function acceptRelocation(
  relocation: ChainRelocation,
  registry: ValidiumRegistry | RegistryTreeViews,
  chainId: bigint | number,
  newParent: bigint | number,
): Promise<TransactionReceipt> {
  const { subtree, parentIndex } = await subtreeOf(registry, chainId);
  const tx = await relocation.acceptRelocation(BigInt(chainId), BigInt(newParent), subtree, parentIndex);
  const receipt = await tx.wait();
  if (!receipt) throw new Error("acceptRelocation: no receipt");
  return receipt;
}
