// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BabyJubJub} from "../../contracts/libraries/BabyJubJub.sol";

import {Test} from "./utils/Test.sol";

/// @notice Tests of the BabyJubJub library: known answers from circomlibjs, group laws on multiples of Base8,
///         the subgroup order, small-order points, the on-curve check and the EdDSA equation.
/// @dev The known answers were produced with circomlibjs 0.1.7 (`const bj = await buildBabyjub()`):
///      `bj.mulPointEscalar(bj.Base8, k)` and `bj.addPoint(P, Q)`, printed with `bj.F.toObject`. The torsion
///      point T8 (order 8) is `bj.mulPointEscalar(Q, bj.subOrder)` for the curve point Q with y = 9 (x the
///      square root of (1 − y²)/(a − d·y²) by `bj.F.sqrt`), the first small y whose multiple has order 8.
contract BabyJubJubTest is Test {
    uint256 internal constant P = BabyJubJub.P;
    uint256 internal constant L = BabyJubJub.ORDER;

    // bj.mulPointEscalar(bj.Base8, 2n)
    uint256 internal constant B8X2_X = 10031262171927540148667355526369034398030886437092045105752248699557385197826;
    uint256 internal constant B8X2_Y = 633281375905621697187330766174974863687049529291089048651929454608812697683;
    // bj.addPoint(bj.Base8, bj.mulPointEscalar(bj.Base8, 2n))
    uint256 internal constant B8X3_X = 2763488322167937039616325905516046217694264098671987087929565332380420898366;
    uint256 internal constant B8X3_Y = 15305195750036305661220525648961313310481046260814497672243197092298550508693;
    // bj.mulPointEscalar(bj.Base8, 0x1234567890abcdef1234567890abcdef1234567890abcdefn)
    uint256 internal constant K = 0x1234567890abcdef1234567890abcdef1234567890abcdef;
    uint256 internal constant KB8_X = 10720687342127393186518762196616604198348730299023346339219874201325965950308;
    uint256 internal constant KB8_Y = 3752599574204889728688498712823150628423454508639132186297304901077270960287;
    // bj.mulPointEscalar(bj.Base8, bj.subOrder - 1n) = −Base8
    uint256 internal constant NB8_X = 16588623631197723940611540161738978058265489928225261449611683042093087494064;
    // A point of order 8 (see the contract notes) and its multiples 2·T8 (order 4) and 4·T8 = (0, −1) (order 2).
    uint256 internal constant T8_X = 17545522957889784193459637215142187266023652151580582754000402781682644312291;
    uint256 internal constant T8_Y = 4826523245007015323400664741523384119579596407052839571721035538011798951543;
    uint256 internal constant T4_X = 2957874849018779266517920829765869116077630550401372566248359756137677864698;
    // The curve point with y = 9 that T8 came from, and 8 times it (in the prime-order subgroup).
    uint256 internal constant Q_X = 55855323439656697592146195207386424468439312131670331221298566499901785984;
    uint256 internal constant Q8_X = 1543097895046459036815881892299046234122503303714415992595576723244300053200;
    uint256 internal constant Q8_Y = 14852656994208972578193598492269014373700846798812588586116313072569880517944;

    // ---------------------------------------------------------------- helpers

    function _assertPoint(uint256 x, uint256 y, uint256 ex, uint256 ey, string memory what) internal pure {
        assertEq(x, ex, what);
        assertEq(y, ey, what);
    }

    function _assertIdentity(uint256 x, uint256 y, string memory what) internal pure {
        _assertPoint(x, y, 0, 1, what);
    }

    /// @dev k·B8 for a scalar reduced into [1, L): a non-identity point of the prime-order subgroup.
    function _base(uint256 k) internal view returns (uint256, uint256, uint256) {
        k = bound(k, 1, L - 1);
        (uint256 x, uint256 y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, k);
        return (k, x, y);
    }

    // ---------------------------------------------------------------- known answers

    function test_constants_onCurve() public pure {
        assertTrue(BabyJubJub.isOnCurve(BabyJubJub.B8_X, BabyJubJub.B8_Y), "B8");
        assertTrue(BabyJubJub.isOnCurve(0, 1), "identity");
        assertTrue(BabyJubJub.isOnCurve(0, P - 1), "order 2");
        assertTrue(BabyJubJub.isOnCurve(T8_X, T8_Y), "T8");
        assertTrue(BabyJubJub.isOnCurve(T4_X, 0), "T4");
        assertTrue(BabyJubJub.isOnCurve(Q8_X, Q8_Y), "8Q");
        assertTrue(BabyJubJub.isOnCurve(B8X2_X, B8X2_Y), "2B8");
    }

    function test_knownAnswers() public view {
        (uint256 x, uint256 y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, 2);
        _assertPoint(x, y, B8X2_X, B8X2_Y, "2B8 by mul");
        (x, y) = BabyJubJub.add(BabyJubJub.B8_X, BabyJubJub.B8_Y, BabyJubJub.B8_X, BabyJubJub.B8_Y);
        _assertPoint(x, y, B8X2_X, B8X2_Y, "2B8 by add");
        (x, y) = BabyJubJub.add(BabyJubJub.B8_X, BabyJubJub.B8_Y, B8X2_X, B8X2_Y);
        _assertPoint(x, y, B8X3_X, B8X3_Y, "B8 + 2B8");
        (x, y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, 3);
        _assertPoint(x, y, B8X3_X, B8X3_Y, "3B8");
        (x, y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, K);
        _assertPoint(x, y, KB8_X, KB8_Y, "kB8");
        (x, y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, L - 1);
        _assertPoint(x, y, NB8_X, BabyJubJub.B8_Y, "(l-1)B8");
        (uint256 nx, uint256 ny) = BabyJubJub.neg(BabyJubJub.B8_X, BabyJubJub.B8_Y);
        _assertPoint(nx, ny, NB8_X, BabyJubJub.B8_Y, "neg B8");
        (x, y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, L);
        _assertIdentity(x, y, "l B8");
        (x, y) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, 0);
        _assertIdentity(x, y, "0 B8");
    }

    function test_torsion() public view {
        (uint256 x, uint256 y) = BabyJubJub.mul(T8_X, T8_Y, 2);
        _assertPoint(x, y, T4_X, 0, "2 T8");
        (x, y) = BabyJubJub.mul(T8_X, T8_Y, 4);
        _assertPoint(x, y, 0, P - 1, "4 T8");
        (x, y) = BabyJubJub.mul(T8_X, T8_Y, 8);
        _assertIdentity(x, y, "8 T8");
        (x, y) = BabyJubJub.mul(Q_X, 9, 8);
        _assertPoint(x, y, Q8_X, Q8_Y, "8Q");
        (x, y) = BabyJubJub.mul(Q_X, 9, L);
        _assertPoint(x, y, T8_X, T8_Y, "l Q = T8");
    }

    function test_isSmallOrder() public pure {
        assertTrue(BabyJubJub.isSmallOrder(0, 1), "identity");
        assertTrue(BabyJubJub.isSmallOrder(0, P - 1), "order 2");
        assertTrue(BabyJubJub.isSmallOrder(T4_X, 0), "order 4");
        assertTrue(BabyJubJub.isSmallOrder(T8_X, T8_Y), "order 8");
        assertFalse(BabyJubJub.isSmallOrder(BabyJubJub.B8_X, BabyJubJub.B8_Y), "B8");
        assertFalse(BabyJubJub.isSmallOrder(Q_X, 9), "Q (order 8l)");
    }

    function test_isOnCurve_rejectsNonCanonical() public pure {
        assertFalse(BabyJubJub.isOnCurve(BabyJubJub.B8_X + P, BabyJubJub.B8_Y), "x + P");
        assertFalse(BabyJubJub.isOnCurve(BabyJubJub.B8_X, BabyJubJub.B8_Y + P), "y + P");
        assertFalse(BabyJubJub.isOnCurve(P, 1), "x = P");
        assertFalse(BabyJubJub.isOnCurve(0, 0), "(0, 0)");
        assertFalse(BabyJubJub.isOnCurve(1, 1), "(1, 1)");
    }

    function test_inverse() public view {
        assertEq(BabyJubJub.inverse(1), 1, "1");
        assertEq(mulmod(BabyJubJub.inverse(2), 2, P), 1, "2");
        assertEq(mulmod(BabyJubJub.inverse(P - 1), P - 1, P), 1, "-1");
        assertEq(BabyJubJub.inverse(0), 0, "0");
    }

    // ---------------------------------------------------------------- fuzz: group laws

    function testFuzz_add_commutativeAndHomomorphic(uint256 a, uint256 b) public view {
        (uint256 ka, uint256 ax, uint256 ay) = _base(a);
        (uint256 kb, uint256 bx, uint256 by) = _base(b);
        (uint256 x1, uint256 y1) = BabyJubJub.add(ax, ay, bx, by);
        assertTrue(BabyJubJub.isOnCurve(x1, y1), "sum on curve");
        (ax, ay) = BabyJubJub.add(bx, by, ax, ay);
        _assertPoint(x1, y1, ax, ay, "commutative");
        (ax, ay) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, addmod(ka, kb, L));
        _assertPoint(x1, y1, ax, ay, "aB8 + bB8 = (a + b)B8");
    }

    function testFuzz_add_associative(uint256 a, uint256 b, uint256 c) public view {
        (, uint256 ax, uint256 ay) = _base(a);
        (, uint256 bx, uint256 by) = _base(b);
        (, uint256 cx, uint256 cy) = _base(c);
        (uint256 lx, uint256 ly) = BabyJubJub.add(ax, ay, bx, by);
        (lx, ly) = BabyJubJub.add(lx, ly, cx, cy);
        (bx, by) = BabyJubJub.add(bx, by, cx, cy);
        (ax, ay) = BabyJubJub.add(ax, ay, bx, by);
        _assertPoint(lx, ly, ax, ay, "(a + b) + c = a + (b + c)");
    }

    function testFuzz_add_identityAndInverse(uint256 a) public view {
        (, uint256 x, uint256 y) = _base(a);
        (uint256 sx, uint256 sy) = BabyJubJub.add(x, y, 0, 1);
        _assertPoint(sx, sy, x, y, "P + O");
        (uint256 nx, uint256 ny) = BabyJubJub.neg(x, y);
        (sx, sy) = BabyJubJub.add(x, y, nx, ny);
        _assertIdentity(sx, sy, "P - P");
    }

    function testFuzz_mul_byOrderIsIdentity(uint256 a) public view {
        (, uint256 x, uint256 y) = _base(a);
        (uint256 ox, uint256 oy) = BabyJubJub.mul(x, y, L);
        _assertIdentity(ox, oy, "l (aB8)");
        // A point outside the subgroup (aB8 + T8) needs the full group order 8l.
        (uint256 qx, uint256 qy) = BabyJubJub.add(x, y, T8_X, T8_Y);
        (ox, oy) = BabyJubJub.mul(qx, qy, L);
        _assertPoint(ox, oy, T8_X, T8_Y, "l (aB8 + T8) = l T8 = T8 (l = 1 mod 8)");
        (ox, oy) = BabyJubJub.mul(qx, qy, 8 * L);
        _assertIdentity(ox, oy, "8l (aB8 + T8)");
        assertFalse(BabyJubJub.isSmallOrder(qx, qy), "aB8 + T8 is not small");
    }

    function testFuzz_mul_composes(uint256 a, uint256 b) public view {
        (uint256 ka, uint256 x, uint256 y) = _base(a);
        uint256 kb = bound(b, 0, L - 1);
        (uint256 x1, uint256 y1) = BabyJubJub.mul(x, y, kb);
        (uint256 x2, uint256 y2) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, mulmod(ka, kb, L));
        _assertPoint(x1, y1, x2, y2, "b (aB8) = (ab)B8");
        (x2, y2) = BabyJubJub.mul(x, y, kb + L);
        _assertPoint(x1, y1, x2, y2, "(b + l) P = b P");
    }

    // ---------------------------------------------------------------- fuzz: on-curve check

    function testFuzz_isOnCurve_matchesEquation(uint256 x, uint256 y) public pure {
        bool expected =
            x < P &&
                y < P &&
                addmod(mulmod(BabyJubJub.A, mulmod(x, x, P), P), mulmod(y, y, P), P) ==
                    addmod(1, mulmod(BabyJubJub.D, mulmod(mulmod(x, x, P), mulmod(y, y, P), P), P), P);
        assertEq(BabyJubJub.isOnCurve(x, y), expected, "isOnCurve");
    }

    function testFuzz_isOnCurve_rejectsPerturbed(uint256 a, uint256 delta) public view {
        (, uint256 x, uint256 y) = _base(a);
        delta = bound(delta, 1, P - 1);
        uint256 y2 = addmod(y, delta, P);
        // For a given x the curve has exactly the two points (x, y) and (x, -y).
        vm.assume(y2 != (P - y) % P);
        assertFalse(BabyJubJub.isOnCurve(x, y2), "perturbed y");
        assertFalse(BabyJubJub.isOnCurve(addmod(x, delta, P), y), "perturbed x");
    }

    // ---------------------------------------------------------------- fuzz: EdDSA equation

    /// @dev Signs as circomlibjs does: key A = a·B8 (circomlibjs' a is its pruned scalar / 8), nonce point
    ///      R = k·B8, s = k + 8·h·a mod l, so that s·B8 = R + 8·h·A.
    function testFuzz_verify(uint256 a, uint256 k, uint256 h) public view {
        (uint256 sk, uint256 ax, uint256 ay) = _base(a);
        (uint256 nonce, uint256 rx, uint256 ry) = _base(k);
        uint256 s = addmod(nonce, mulmod(8 * (h % L), sk, L), L);
        assertTrue(BabyJubJub.verify(s, h, ax, ay, rx, ry), "valid");
        assertTrue(BabyJubJub.verifyEquation(s, h, ax, ay, rx, ry), "valid (equation)");
        assertFalse(BabyJubJub.verify(addmod(s, 1, L), h, ax, ay, rx, ry), "s + 1");
        assertFalse(BabyJubJub.verify(s + L, h, ax, ay, rx, ry), "s + l (not below l)");
        assertTrue(BabyJubJub.verifyEquation(s + L, h, ax, ay, rx, ry), "the equation alone is mod l");
        assertFalse(BabyJubJub.verify(s, h ^ 1, ax, ay, rx, ry), "other message hash");
        assertTrue(BabyJubJub.verify(s, (h % L) + L, ax, ay, rx, ry), "h is taken mod l");
        (uint256 nx, uint256 ny) = BabyJubJub.neg(rx, ry);
        assertFalse(BabyJubJub.verify(s, h, ax, ay, nx, ny), "-R");
        assertFalse(BabyJubJub.verify(s, h, ax, ay, rx, addmod(ry, 1, P)), "R off curve");
        // No cofactor malleability: R + T8 (on the curve, same 8-multiple) fails the equation.
        (uint256 qx, uint256 qy) = BabyJubJub.add(rx, ry, T8_X, T8_Y);
        assertFalse(BabyJubJub.verifyEquation(s, h, ax, ay, qx, qy), "R + T8");
        // A key with a torsion component, A + T8, has the same 8-multiple: s·B8 = R + 8·h·(A + T8) still holds
        // (it is a different key, with a different key hash, so it cannot take over an account).
        (qx, qy) = BabyJubJub.add(ax, ay, T8_X, T8_Y);
        assertTrue(BabyJubJub.verify(s, h, qx, qy, rx, ry), "A + T8");
    }

    function testFuzz_verify_smallOrderKeyForgery(uint256 s, uint256 h, uint256 which) public view {
        // With a small-order key the key term 8·h·A vanishes: R = s·B8 satisfies the equation for any message,
        // which is why `verify` (and the escape verifier) reject small-order keys.
        s = bound(s, 0, L - 1);
        (uint256 rx, uint256 ry) = BabyJubJub.mul(BabyJubJub.B8_X, BabyJubJub.B8_Y, s);
        uint256[2][3] memory keys = [[uint256(0), P - 1], [T4_X, 0], [T8_X, T8_Y]];
        uint256[2] memory key = keys[which % 3];
        assertTrue(BabyJubJub.verifyEquation(s, h, key[0], key[1], rx, ry), "forgery passes the equation");
        assertFalse(BabyJubJub.verify(s, h, key[0], key[1], rx, ry), "but not verify");
    }
}
