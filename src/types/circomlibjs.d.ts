/**
 * Minimal typings for the parts of circomlibjs 0.1.7 that the reference ledger uses (src/ledger/crypto.ts).
 * Field elements of the BN254 scalar field are opaque `Uint8Array`s in Montgomery form (ffjavascript's
 * WasmField1); convert with `F.e(bigint)` and `F.toObject(element)`.
 */
declare module "circomlibjs" {
  /** An element of the BN254 scalar field in ffjavascript's internal (Montgomery) representation. */
  export type FieldElement = Uint8Array;

  /** The subset of ffjavascript's WasmField1 used here. */
  export interface WasmField {
    /** Converts a bigint (or decimal string) to a field element, reducing modulo r. */
    e(value: bigint | number | string | FieldElement): FieldElement;
    /** Converts a field element to a bigint in [0, r). */
    toObject(value: FieldElement): bigint;
    eq(a: FieldElement, b: FieldElement): boolean;
    isZero(a: FieldElement): boolean;
    zero: FieldElement;
    one: FieldElement;
  }

  /** A Baby Jubjub point in affine coordinates [x, y]. */
  export type Point = [FieldElement, FieldElement];

  /** circomlibjs' Poseidon (t = n + 1, circomlib constants); returns a field element. */
  export interface Poseidon {
    (inputs: Array<bigint | number | FieldElement>, initState?: bigint | FieldElement, nOut?: number): FieldElement;
    F: WasmField;
  }

  /** circomlibjs' Baby Jubjub curve. */
  export interface BabyJub {
    F: WasmField;
    Base8: Point;
    order: bigint;
    subOrder: bigint;
    addPoint(a: Point, b: Point): Point;
    mulPointEscalar(base: Point, e: bigint): Point;
    inCurve(p: Point): boolean;
    inSubgroup(p: Point): boolean;
    packPoint(p: Point): Uint8Array;
    unpackPoint(buff: Uint8Array): Point | null;
  }

  /** An EdDSA signature as circomlibjs returns it: R8 as field elements, S as a bigint. */
  export interface EddsaSignature {
    R8: Point;
    S: bigint;
  }

  /** circomlibjs' EdDSA over Baby Jubjub. */
  export interface Eddsa {
    F: WasmField;
    babyJub: BabyJub;
    poseidon: Poseidon;
    prv2pub(privateKey: Uint8Array): Point;
    signPoseidon(privateKey: Uint8Array, msg: FieldElement): EddsaSignature;
    verifyPoseidon(msg: FieldElement, sig: EddsaSignature, pubKey: Point): boolean;
  }

  /** Builds Poseidon (WebAssembly, single-threaded). */
  export function buildPoseidon(): Promise<Poseidon>;
  /** Builds EdDSA with its own Baby Jubjub, Poseidon, Pedersen and MiMC instances (about 1 s). */
  export function buildEddsa(): Promise<Eddsa>;
  /** Builds the Baby Jubjub curve over the BN254 scalar field. */
  export function buildBabyjub(): Promise<BabyJub>;
}
